<?php
namespace Opencart\Admin\Model\Extension\AcmeTry\Module;
class AcmeTry extends \Opencart\System\Engine\Model {
	public function createTable(): void {
		$this->db->query("CREATE TABLE IF NOT EXISTS `" . DB_PREFIX . "acme_try_log` (`log_id` INT(11) NOT NULL AUTO_INCREMENT, `message` VARCHAR(255) NOT NULL, `date_added` DATETIME NOT NULL, PRIMARY KEY (`log_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
	}

	public function dropTable(): void {
		$this->db->query("DROP TABLE IF EXISTS `" . DB_PREFIX . "acme_try_log`");
	}

	public function getRows(string $filter = ''): array {
		$sql = "SELECT * FROM `" . DB_PREFIX . "acme_try_log`";

		if ($filter !== '') {
			$sql .= " WHERE `message` LIKE '%" . $this->db->escape($filter) . "%'";
		}

		return $this->db->query($sql . " ORDER BY `log_id` DESC LIMIT 20")->rows;
	}
}
