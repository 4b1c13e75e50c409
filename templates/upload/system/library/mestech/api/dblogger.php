<?php
namespace Mestech\Api;

/**
 * Writes to DB_PREFIX . 'meschain_logs' through OpenCart's DB object (query() and escape()).
 * A failure to write the log never hides the error being logged: it goes to error_log() instead.
 */
class DbLogger
{
    const LEVELS = array('debug', 'info', 'warning', 'error', 'critical');

    /** @var object OpenCart DB: query(string), escape(string) */
    private $db;

    /** @var int */
    private $userId;

    /** @var string */
    private $prefix;

    /**
     * @param object $db OpenCart DB object
     */
    public function __construct($db, int $userId = 0, ?string $prefix = null)
    {
        $this->db = $db;
        $this->userId = $userId;
        if ($prefix === null) {
            $prefix = defined('DB_PREFIX') ? (string) constant('DB_PREFIX') : '';
        }
        $this->prefix = $prefix;
    }

    public function setUserId(int $userId): void
    {
        $this->userId = $userId;
    }

    public function log(string $level, string $type, string $action, string $message, array $data = array(), string $marketplace = '', string $entityType = '', int $entityId = 0, float $executionTime = 0.0): void
    {
        if (!in_array($level, self::LEVELS, true)) {
            $level = 'info';
        }
        $json = $data ? json_encode($data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PARTIAL_OUTPUT_ON_ERROR) : '';
        $ip = isset($_SERVER['REMOTE_ADDR']) ? substr((string) $_SERVER['REMOTE_ADDR'], 0, 45) : '';
        $agent = isset($_SERVER['HTTP_USER_AGENT']) ? substr((string) $_SERVER['HTTP_USER_AGENT'], 0, 500) : '';

        $sql = "INSERT INTO `" . $this->prefix . "meschain_logs` SET"
            . " `user_id` = '" . (int) $this->userId . "',"
            . " `log_level` = '" . $this->esc($level) . "',"
            . " `log_type` = '" . $this->esc(substr($type, 0, 50)) . "',"
            . " `log_action` = '" . $this->esc(substr($action, 0, 100)) . "',"
            . " `log_message` = '" . $this->esc($message) . "',"
            . " `log_data` = " . ($json === '' || $json === false ? 'NULL' : "'" . $this->esc($json) . "'") . ","
            . " `marketplace` = " . ($marketplace === '' ? 'NULL' : "'" . $this->esc(substr($marketplace, 0, 64)) . "'") . ","
            . " `entity_type` = " . ($entityType === '' ? 'NULL' : "'" . $this->esc(substr($entityType, 0, 50)) . "'") . ","
            . " `entity_id` = " . ($entityId ? (int) $entityId : 'NULL') . ","
            . " `ip_address` = " . ($ip === '' ? 'NULL' : "'" . $this->esc($ip) . "'") . ","
            . " `user_agent` = " . ($agent === '' ? 'NULL' : "'" . $this->esc($agent) . "'") . ","
            . " `execution_time` = '" . sprintf('%.6f', $executionTime) . "',"
            . " `memory_usage` = '" . (int) memory_get_usage() . "',"
            . " `date_added` = NOW()";

        try {
            $this->db->query($sql);
        } catch (\Throwable $e) {
            error_log('MesChain log write failed (' . $e->getMessage() . '): [' . $level . '] ' . $marketplace . ' ' . $action . ': ' . $message);
        }
    }

    public function error(string $type, string $action, string $message, array $data = array(), string $marketplace = ''): void
    {
        $this->log('error', $type, $action, $message, $data, $marketplace);
    }

    public function warning(string $type, string $action, string $message, array $data = array(), string $marketplace = ''): void
    {
        $this->log('warning', $type, $action, $message, $data, $marketplace);
    }

    public function info(string $type, string $action, string $message, array $data = array(), string $marketplace = ''): void
    {
        $this->log('info', $type, $action, $message, $data, $marketplace);
    }

    private function esc(string $value): string
    {
        return (string) $this->db->escape($value);
    }
}
