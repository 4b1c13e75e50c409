<?php
/**
 * Product sync queue, order integration and statistics (admin side).
 */
class ModelExtensionMestechSync extends Model {
	/**
	 * Per-marketplace counters for every enabled marketplace (percent safe for zero).
	 *
	 * @return array code => stats
	 */
	public function getMarketplaceStats() {
		$counts = array();

		$query = $this->db->query("SELECT `marketplace`, `sync_status`, COUNT(*) AS total, MAX(`last_sync`) AS last_sync FROM `" . DB_PREFIX . "meschain_product_sync` GROUP BY `marketplace`, `sync_status`");

		foreach ($query->rows as $row) {
			$counts[$row['marketplace']][$row['sync_status']] = (int)$row['total'];

			if ($row['last_sync'] && (!isset($counts[$row['marketplace']]['last_sync']) || $row['last_sync'] > $counts[$row['marketplace']]['last_sync'])) {
				$counts[$row['marketplace']]['last_sync'] = $row['last_sync'];
			}
		}

		$orders = array();

		$query = $this->db->query("SELECT `marketplace`, COUNT(*) AS total, SUM(`order_id` > 0) AS imported FROM `" . DB_PREFIX . "meschain_order_integration` GROUP BY `marketplace`");

		foreach ($query->rows as $row) {
			$orders[$row['marketplace']] = array('total' => (int)$row['total'], 'imported' => (int)$row['imported']);
		}

		$settings = new \Mestech\Settings($this->db, (string)$this->config->get('config_encryption'));

		$stats = array();

		foreach (\Mestech\Package::marketplaces() as $code => $marketplace) {
			$c = isset($counts[$code]) ? $counts[$code] : array();

			$synced = isset($c['synced']) ? $c['synced'] : 0;
			$pending = (isset($c['pending']) ? $c['pending'] : 0) + (isset($c['syncing']) ? $c['syncing'] : 0);
			$error = isset($c['error']) ? $c['error'] : 0;
			$disabled = isset($c['disabled']) ? $c['disabled'] : 0;
			$total = $synced + $pending + $error + $disabled;

			$stats[$code] = array(
				'code'            => $code,
				'label'           => $marketplace['label'],
				'active'          => $settings->isActive($code),
				'total'           => $total,
				'synced'          => $synced,
				'pending'         => $pending,
				'error'           => $error,
				'disabled'        => $disabled,
				'percent'         => $total > 0 ? (int)round($synced * 100 / $total) : 0,
				'last_sync'       => isset($c['last_sync']) ? $c['last_sync'] : '',
				'orders'          => isset($orders[$code]) ? $orders[$code]['imported'] : 0,
				'orders_failed'   => isset($orders[$code]) ? $orders[$code]['total'] - $orders[$code]['imported'] : 0
			);
		}

		return $stats;
	}

	/**
	 * @param array $filter marketplace, status, name, start, limit
	 * @return array
	 */
	public function getQueue(array $filter) {
		$sql = "SELECT ps.*, pd.`name`, p.`model`, p.`sku`, p.`price`, p.`quantity` FROM `" . DB_PREFIX . "meschain_product_sync` ps LEFT JOIN `" . DB_PREFIX . "product` p ON (ps.`product_id` = p.`product_id`) LEFT JOIN `" . DB_PREFIX . "product_description` pd ON (ps.`product_id` = pd.`product_id` AND pd.`language_id` = '" . (int)$this->config->get('config_language_id') . "')" . $this->queueWhere($filter) . " ORDER BY ps.`date_modified` DESC";

		$start = isset($filter['start']) ? max(0, (int)$filter['start']) : 0;
		$limit = isset($filter['limit']) ? max(1, (int)$filter['limit']) : 20;

		$sql .= " LIMIT " . $start . "," . $limit;

		return $this->db->query($sql)->rows;
	}

	/**
	 * @param array $filter
	 * @return int
	 */
	public function getQueueTotal(array $filter) {
		$query = $this->db->query("SELECT COUNT(*) AS total FROM `" . DB_PREFIX . "meschain_product_sync` ps LEFT JOIN `" . DB_PREFIX . "product_description` pd ON (ps.`product_id` = pd.`product_id` AND pd.`language_id` = '" . (int)$this->config->get('config_language_id') . "')" . $this->queueWhere($filter));

		return (int)$query->row['total'];
	}

	/**
	 * @param array $filter
	 * @return string
	 */
	private function queueWhere(array $filter) {
		$where = array("ps.`marketplace` IN ('" . implode("','", array_map(array($this->db, 'escape'), array_keys(\Mestech\Package::marketplaces()))) . "')");

		if (!empty($filter['marketplace'])) {
			$where[] = "ps.`marketplace` = '" . $this->db->escape($filter['marketplace']) . "'";
		}

		if (!empty($filter['status'])) {
			$where[] = "ps.`sync_status` = '" . $this->db->escape($filter['status']) . "'";
		}

		if (!empty($filter['name'])) {
			$where[] = "pd.`name` LIKE '" . $this->db->escape($filter['name']) . "%'";
		}

		return " WHERE " . implode(" AND ", $where);
	}

	/**
	 * @param int $product_id
	 * @return array marketplace => row
	 */
	public function getProductSyncs($product_id) {
		$rows = array();

		$query = $this->db->query("SELECT * FROM `" . DB_PREFIX . "meschain_product_sync` WHERE `product_id` = '" . (int)$product_id . "'");

		foreach ($query->rows as $row) {
			$rows[$row['marketplace']] = $row;
		}

		return $rows;
	}

	/**
	 * Reset failed items of a marketplace so the worker tries them again.
	 *
	 * @param string $marketplace
	 * @return int
	 */
	public function retryFailed($marketplace) {
		$this->db->query("UPDATE `" . DB_PREFIX . "meschain_product_sync` SET `sync_status` = 'pending', `sync_attempts` = '0', `next_sync` = NOW(), `date_modified` = NOW() WHERE `marketplace` = '" . $this->db->escape($marketplace) . "' AND `sync_status` = 'error'");

		return (int)$this->db->countAffected();
	}

	/**
	 * Remove items from the queue.
	 *
	 * @param array $sync_ids
	 * @return int
	 */
	public function deleteItems(array $sync_ids) {
		$ids = array_filter(array_map('intval', $sync_ids));

		if (!$ids) {
			return 0;
		}

		$this->db->query("DELETE FROM `" . DB_PREFIX . "meschain_product_sync` WHERE `sync_id` IN (" . implode(',', $ids) . ")");

		return (int)$this->db->countAffected();
	}

	/**
	 * @param int $order_id
	 * @return array|null
	 */
	public function getOrderIntegrationByOrderId($order_id) {
		$query = $this->db->query("SELECT * FROM `" . DB_PREFIX . "meschain_order_integration` WHERE `order_id` = '" . (int)$order_id . "' LIMIT 1");

		return $query->num_rows ? $query->row : null;
	}

	/**
	 * @param array $filter marketplace, start, limit
	 * @return array
	 */
	public function getOrderIntegrations(array $filter) {
		$sql = "SELECT * FROM `" . DB_PREFIX . "meschain_order_integration`";

		if (!empty($filter['marketplace'])) {
			$sql .= " WHERE `marketplace` = '" . $this->db->escape($filter['marketplace']) . "'";
		}

		$start = isset($filter['start']) ? max(0, (int)$filter['start']) : 0;
		$limit = isset($filter['limit']) ? max(1, (int)$filter['limit']) : 10;

		$sql .= " ORDER BY `date_added` DESC LIMIT " . $start . "," . $limit;

		return $this->db->query($sql)->rows;
	}

	/**
	 * Store a tracking number; the worker pushes it to the marketplace.
	 *
	 * @param int $integration_id
	 * @param string $carrier
	 * @param string $tracking_number
	 * @return bool
	 */
	public function saveTracking($integration_id, $carrier, $tracking_number) {
		$this->db->query("UPDATE `" . DB_PREFIX . "meschain_order_integration` SET `carrier` = '" . $this->db->escape($carrier) . "', `tracking_number` = '" . $this->db->escape($tracking_number) . "', `tracking_pushed` = '0', `date_modified` = NOW() WHERE `integration_id` = '" . (int)$integration_id . "' AND `order_id` > '0'");

		return $this->db->countAffected() > 0;
	}

	/**
	 * Daily counts for the chart: synced and failed products, imported orders.
	 *
	 * @param int $days
	 * @return array series => list of array(timestamp_ms, count)
	 */
	public function getChartData($days = 14) {
		$days = max(1, min(90, (int)$days));
		$series = array('synced' => array(), 'failed' => array(), 'orders' => array());
		$index = array();

		for ($i = $days - 1; $i >= 0; $i--) {
			$day = date('Y-m-d', strtotime('-' . $i . ' days'));
			$index[$day] = count($index);

			foreach ($series as $name => $points) {
				$series[$name][] = array(strtotime($day . ' 00:00:00') * 1000, 0);
			}
		}

		$query = $this->db->query("SELECT DATE(`date_added`) AS day, `log_action`, COUNT(*) AS total FROM `" . DB_PREFIX . "meschain_logs` WHERE `log_type` = 'sync' AND `log_action` IN ('product_synced', 'product_failed') AND `date_added` >= DATE_SUB(CURDATE(), INTERVAL " . ($days - 1) . " DAY) GROUP BY DATE(`date_added`), `log_action`");

		foreach ($query->rows as $row) {
			if (isset($index[$row['day']])) {
				$name = $row['log_action'] === 'product_synced' ? 'synced' : 'failed';
				$series[$name][$index[$row['day']]][1] = (int)$row['total'];
			}
		}

		$query = $this->db->query("SELECT DATE(`date_integrated`) AS day, COUNT(*) AS total FROM `" . DB_PREFIX . "meschain_order_integration` WHERE `order_id` > '0' AND `date_integrated` >= DATE_SUB(CURDATE(), INTERVAL " . ($days - 1) . " DAY) GROUP BY DATE(`date_integrated`)");

		foreach ($query->rows as $row) {
			if (isset($index[$row['day']])) {
				$series['orders'][$index[$row['day']]][1] = (int)$row['total'];
			}
		}

		return $series;
	}
}
