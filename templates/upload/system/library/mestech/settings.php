<?php
/**
 * Per-marketplace settings kept in the meschain_settings table.
 *
 * Group "general" holds plain values (status, base_url, timeout, last_order_sync);
 * group "credentials" holds secrets, encrypted with OpenCart's Encryption library and
 * the store key config_encryption. Secrets are never returned to a view in full.
 */
namespace Mestech;

class Settings {
	/** @var object OpenCart DB */
	private $db;
	/** @var string */
	private $key;
	/** @var \Encryption|null */
	private $encryption;
	/** @var array cache marketplace => group => key => value */
	private $cache = array();

	/**
	 * @param object $db OpenCart DB object
	 * @param string $encryption_key the store's config_encryption value
	 */
	public function __construct($db, $encryption_key) {
		$this->db = $db;
		$this->key = (string)$encryption_key;
		$this->encryption = null;
	}

	/**
	 * @return bool true when the store has an encryption key (System > Settings > Server)
	 */
	public function canEncrypt() {
		return $this->key !== '' && function_exists('openssl_encrypt');
	}

	/**
	 * @param string $marketplace
	 * @param string $group
	 * @return array key => value (decrypted)
	 */
	public function getGroup($marketplace, $group) {
		if (isset($this->cache[$marketplace][$group])) {
			return $this->cache[$marketplace][$group];
		}

		$values = array();

		$query = $this->db->query("SELECT `setting_key`, `setting_value`, `encrypted` FROM `" . DB_PREFIX . "meschain_settings` WHERE `marketplace` = '" . $this->db->escape($marketplace) . "' AND `setting_group` = '" . $this->db->escape($group) . "'");

		foreach ($query->rows as $row) {
			$value = (string)$row['setting_value'];

			if ($row['encrypted']) {
				$value = $this->decrypt($value);
			}

			$values[$row['setting_key']] = $value;
		}

		$this->cache[$marketplace][$group] = $values;

		return $values;
	}

	/**
	 * @param string $marketplace
	 * @param string $group
	 * @param string $key
	 * @param string $default
	 * @return string
	 */
	public function get($marketplace, $group, $key, $default = '') {
		$values = $this->getGroup($marketplace, $group);

		return isset($values[$key]) ? $values[$key] : $default;
	}

	/**
	 * Insert or update one value.
	 *
	 * @param string $marketplace
	 * @param string $group
	 * @param string $key
	 * @param string $value
	 * @param bool $encrypt
	 */
	public function set($marketplace, $group, $key, $value, $encrypt = false) {
		$stored = (string)$value;

		if ($encrypt) {
			if (!$this->canEncrypt()) {
				throw new \RuntimeException('The store encryption key (config_encryption) is empty.');
			}

			$stored = $this->encrypt($stored);
		}

		$this->db->query("INSERT INTO `" . DB_PREFIX . "meschain_settings` SET `marketplace` = '" . $this->db->escape($marketplace) . "', `setting_group` = '" . $this->db->escape($group) . "', `setting_key` = '" . $this->db->escape($key) . "', `setting_value` = '" . $this->db->escape($stored) . "', `encrypted` = '" . (int)$encrypt . "', `date_added` = NOW(), `date_modified` = NOW() ON DUPLICATE KEY UPDATE `setting_value` = VALUES(`setting_value`), `encrypted` = VALUES(`encrypted`), `date_modified` = NOW()");

		unset($this->cache[$marketplace][$group]);
	}

	/**
	 * Save credentials: a blank value keeps the stored one.
	 *
	 * @param string $marketplace
	 * @param array $values key => plain value
	 * @return int number of values changed
	 */
	public function saveCredentials($marketplace, array $values) {
		$changed = 0;

		foreach ($values as $key => $value) {
			$value = trim((string)$value);

			if ($value === '') {
				continue;
			}

			$this->set($marketplace, 'credentials', $key, $value, true);

			$changed++;
		}

		return $changed;
	}

	/**
	 * Remove one credential.
	 *
	 * @param string $marketplace
	 * @param string $key
	 */
	public function clearCredential($marketplace, $key) {
		$this->db->query("DELETE FROM `" . DB_PREFIX . "meschain_settings` WHERE `marketplace` = '" . $this->db->escape($marketplace) . "' AND `setting_group` = 'credentials' AND `setting_key` = '" . $this->db->escape($key) . "'");

		unset($this->cache[$marketplace]['credentials']);
	}

	/**
	 * Masked credential values for display ('' when not set).
	 *
	 * @param string $marketplace
	 * @return array key => masked string
	 */
	public function maskedCredentials($marketplace) {
		$masked = array();

		foreach ($this->getGroup($marketplace, 'credentials') as $key => $value) {
			$masked[$key] = self::mask($value);
		}

		return $masked;
	}

	/**
	 * @param string $value
	 * @return string
	 */
	public static function mask($value) {
		$value = (string)$value;
		$length = strlen($value);

		if ($length === 0) {
			return '';
		}

		if ($length <= 8) {
			return str_repeat('*', 8);
		}

		return str_repeat('*', 8) . substr($value, -4);
	}

	/**
	 * Whether a marketplace is switched on in the settings page (default off).
	 *
	 * @param string $marketplace
	 * @return bool
	 */
	public function isActive($marketplace) {
		return Package::hasMarketplace($marketplace) && $this->get($marketplace, 'general', 'status', '0') === '1';
	}

	/**
	 * The settings array a marketplace client is created with.
	 *
	 * @param string $marketplace
	 * @return array
	 */
	public function clientSettings($marketplace) {
		$all = Package::marketplaces();
		$defaults = isset($all[$marketplace]) ? $all[$marketplace] : array('base_url' => '', 'credentials' => array());

		$base_url = $this->get($marketplace, 'general', 'base_url', '');
		$timeout = (int)$this->get($marketplace, 'general', 'timeout', '30');

		$settings = array(
			'base_url' => $base_url !== '' ? $base_url : $defaults['base_url'],
			'timeout'  => $timeout > 0 ? $timeout : 30
		);

		$credentials = $this->getGroup($marketplace, 'credentials');

		foreach ($defaults['credentials'] as $key) {
			$settings[$key] = isset($credentials[$key]) ? $credentials[$key] : '';
		}

		return $settings;
	}

	/**
	 * @param string $value
	 * @return string
	 */
	private function encrypt($value) {
		return $this->encryption()->encrypt($this->key, $value);
	}

	/**
	 * @param string $value
	 * @return string '' when the value cannot be decrypted (e.g. the key changed)
	 */
	private function decrypt($value) {
		if (!$this->canEncrypt() || $value === '') {
			return '';
		}

		$plain = $this->encryption()->decrypt($this->key, $value);

		return is_string($plain) ? $plain : '';
	}

	/**
	 * @return \Encryption
	 */
	private function encryption() {
		if ($this->encryption === null) {
			$this->encryption = new \Encryption();
		}

		return $this->encryption;
	}
}
