<?php
/**
 * Writes package events (sync, orders, admin actions) to the meschain_logs table.
 * The marketplace clients log their HTTP traffic through \Mestech\Api\DbLogger.
 */
namespace Mestech;

class Log {
	/** @var object OpenCart DB */
	private $db;
	/** @var int */
	private $user_id;

	/**
	 * @param object $db
	 * @param int $user_id admin user id, 0 for cron
	 */
	public function __construct($db, $user_id = 0) {
		$this->db = $db;
		$this->user_id = (int)$user_id;
	}

	/**
	 * @param string $level debug|info|warning|error|critical
	 * @param string $type e.g. sync, order, shipment, admin, install
	 * @param string $action
	 * @param string $message
	 * @param array $data
	 * @param string $marketplace
	 * @param string $entity_type
	 * @param int $entity_id
	 */
	public function write($level, $type, $action, $message, array $data = array(), $marketplace = '', $entity_type = '', $entity_id = 0) {
		$levels = array('debug', 'info', 'warning', 'error', 'critical');

		if (!in_array($level, $levels, true)) {
			$level = 'info';
		}

		$ip = isset($_SERVER['REMOTE_ADDR']) ? substr((string)$_SERVER['REMOTE_ADDR'], 0, 45) : '';
		$agent = isset($_SERVER['HTTP_USER_AGENT']) ? substr((string)$_SERVER['HTTP_USER_AGENT'], 0, 500) : (PHP_SAPI === 'cli' ? 'cli' : '');

		try {
			$this->db->query("INSERT INTO `" . DB_PREFIX . "meschain_logs` SET `user_id` = '" . (int)$this->user_id . "', `log_level` = '" . $this->db->escape($level) . "', `log_type` = '" . $this->db->escape(substr((string)$type, 0, 50)) . "', `log_action` = '" . $this->db->escape(substr((string)$action, 0, 100)) . "', `log_message` = '" . $this->db->escape((string)$message) . "', `log_data` = '" . $this->db->escape($data ? json_encode($data) : '') . "', `marketplace` = " . ($marketplace !== '' ? "'" . $this->db->escape($marketplace) . "'" : "NULL") . ", `entity_type` = " . ($entity_type !== '' ? "'" . $this->db->escape($entity_type) . "'" : "NULL") . ", `entity_id` = " . ($entity_id ? (int)$entity_id : "NULL") . ", `ip_address` = '" . $this->db->escape($ip) . "', `user_agent` = '" . $this->db->escape($agent) . "', `execution_time` = '0', `memory_usage` = '" . (int)memory_get_usage() . "', `date_added` = NOW()");
		} catch (\Exception $e) {
			// Logging must never break the caller (e.g. table missing during uninstall).
		}
	}
}
