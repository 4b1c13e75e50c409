<?php
/**
 * Module settings (setting code module_<code>) written one key at a time, so that saving
 * one page never drops keys owned by another page (setting/setting editSetting deletes all).
 */
class ModelExtensionMestechSetting extends Model {
	/**
	 * @param string $name key without the module_<code>_ prefix
	 * @param string $value
	 */
	public function setValue($name, $value) {
		$code = \Mestech\Package::SETTING_CODE;
		$key = $code . '_' . $name;

		$this->db->query("DELETE FROM `" . DB_PREFIX . "setting` WHERE `store_id` = '0' AND `code` = '" . $this->db->escape($code) . "' AND `key` = '" . $this->db->escape($key) . "'");
		$this->db->query("INSERT INTO `" . DB_PREFIX . "setting` SET `store_id` = '0', `code` = '" . $this->db->escape($code) . "', `key` = '" . $this->db->escape($key) . "', `value` = '" . $this->db->escape((string)$value) . "', `serialized` = '0'");

		$this->config->set($key, (string)$value);
	}

	/**
	 * @param string $name
	 * @param string $default
	 * @return string
	 */
	public function getValue($name, $default = '') {
		$value = $this->config->get(\Mestech\Package::SETTING_CODE . '_' . $name);

		return ($value === null || $value === '') ? $default : (string)$value;
	}
}
