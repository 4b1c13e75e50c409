<?php
/**
 * Reading and clearing the meschain_logs table.
 */
class ModelExtensionMestechLog extends Model {
	/**
	 * @param array $filter level, marketplace, type, start, limit
	 * @return array
	 */
	public function getLogs(array $filter) {
		$start = isset($filter['start']) ? max(0, (int)$filter['start']) : 0;
		$limit = isset($filter['limit']) ? max(1, (int)$filter['limit']) : 20;

		return $this->db->query("SELECT * FROM `" . DB_PREFIX . "meschain_logs`" . $this->where($filter) . " ORDER BY `log_id` DESC LIMIT " . $start . "," . $limit)->rows;
	}

	/**
	 * @param array $filter
	 * @return int
	 */
	public function getTotalLogs(array $filter) {
		return (int)$this->db->query("SELECT COUNT(*) AS total FROM `" . DB_PREFIX . "meschain_logs`" . $this->where($filter))->row['total'];
	}

	/**
	 * @param array $filter
	 * @return string
	 */
	private function where(array $filter) {
		$where = array();

		if (!empty($filter['level'])) {
			$where[] = "`log_level` = '" . $this->db->escape($filter['level']) . "'";
		}

		if (!empty($filter['marketplace'])) {
			$where[] = "`marketplace` = '" . $this->db->escape($filter['marketplace']) . "'";
		}

		if (!empty($filter['type'])) {
			$where[] = "`log_type` = '" . $this->db->escape($filter['type']) . "'";
		}

		return $where ? " WHERE " . implode(" AND ", $where) : "";
	}

	/**
	 * @param int $days keep entries newer than this, 0 = delete all
	 */
	public function clear($days = 0) {
		if ($days > 0) {
			$this->db->query("DELETE FROM `" . DB_PREFIX . "meschain_logs` WHERE `date_added` < DATE_SUB(NOW(), INTERVAL " . (int)$days . " DAY)");
		} else {
			$this->db->query("DELETE FROM `" . DB_PREFIX . "meschain_logs`");
		}
	}
}
