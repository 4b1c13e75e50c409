<?php
/**
 * Creates an OpenCart order from a normalized marketplace order.
 * Writes order, order_product, order_total and order_history rows directly, because
 * OpenCart 3.0 has no admin-side addOrder model; columns are those of every 3.0.x schema.
 */
namespace Mestech;

class OrderImporter {
	/** @var object OpenCart DB */
	private $db;
	/** @var object OpenCart Config */
	private $config;
	/** @var array product ids of the last created order */
	private $last_product_ids = array();

	/**
	 * @param object $db
	 * @param object $config
	 */
	public function __construct($db, $config) {
		$this->db = $db;
		$this->config = $config;
	}

	/**
	 * @return array
	 */
	public function getLastProductIds() {
		return $this->last_product_ids;
	}

	/**
	 * @param array $order normalized order (see the client interface)
	 * @param string $marketplace code
	 * @param string $label marketplace name shown as payment/shipping method
	 * @param int $order_status_id
	 * @return int order_id
	 */
	public function create(array $order, $marketplace, $label, $order_status_id) {
		$this->last_product_ids = array();

		$customer = isset($order['customer']) && is_array($order['customer']) ? $order['customer'] : array();
		$address = isset($order['shipping_address']) && is_array($order['shipping_address']) ? $order['shipping_address'] : array();
		$lines = isset($order['lines']) && is_array($order['lines']) ? $order['lines'] : array();

		if (!$lines) {
			throw new \RuntimeException('Order has no lines.');
		}

		$firstname = $this->value($customer, 'firstname');
		$lastname = $this->value($customer, 'lastname');
		$email = $this->value($customer, 'email');
		$telephone = $this->value($customer, 'telephone');

		$ship_firstname = $this->value($address, 'firstname', $firstname);
		$ship_lastname = $this->value($address, 'lastname', $lastname);

		$country = $this->findCountry($this->value($address, 'country_iso2'));
		$zone = $this->findZone((int)$country['country_id'], $this->value($address, 'zone'));

		$currency_code = $this->value($order, 'currency', (string)$this->config->get('config_currency'));
		$currency = $this->db->query("SELECT `currency_id`, `value` FROM `" . DB_PREFIX . "currency` WHERE `code` = '" . $this->db->escape($currency_code) . "'");
		$currency_id = $currency->num_rows ? (int)$currency->row['currency_id'] : 0;
		// Marketplace amounts are in the order currency; store them in the default currency.
		$currency_value = ($currency->num_rows && (float)$currency->row['value'] > 0) ? (float)$currency->row['value'] : 1.0;

		$subtotal = 0.0;

		foreach ($lines as $line) {
			$subtotal += (float)(isset($line['price']) ? $line['price'] : 0) * (int)(isset($line['quantity']) ? $line['quantity'] : 0);
		}

		$total = isset($order['total']) ? (float)$order['total'] : $subtotal;
		$method = $label . ' (' . $this->value($order, 'order_number', $this->value($order, 'marketplace_order_id')) . ')';
		$store_url = $this->config->get('config_url') ? (string)$this->config->get('config_url') : (defined('HTTP_CATALOG') ? HTTP_CATALOG : (defined('HTTP_SERVER') ? HTTP_SERVER : ''));

		$address_sql = function ($prefix) use ($ship_firstname, $ship_lastname, $address, $country, $zone) {
			return "`" . $prefix . "_firstname` = '" . $this->db->escape($ship_firstname) . "', `" . $prefix . "_lastname` = '" . $this->db->escape($ship_lastname) . "', `" . $prefix . "_company` = '', `" . $prefix . "_address_1` = '" . $this->db->escape($this->value($address, 'address_1')) . "', `" . $prefix . "_address_2` = '" . $this->db->escape($this->value($address, 'address_2')) . "', `" . $prefix . "_city` = '" . $this->db->escape($this->value($address, 'city')) . "', `" . $prefix . "_postcode` = '" . $this->db->escape($this->value($address, 'postcode')) . "', `" . $prefix . "_country` = '" . $this->db->escape($country['name']) . "', `" . $prefix . "_country_id` = '" . (int)$country['country_id'] . "', `" . $prefix . "_zone` = '" . $this->db->escape($zone['name']) . "', `" . $prefix . "_zone_id` = '" . (int)$zone['zone_id'] . "', `" . $prefix . "_address_format` = '', `" . $prefix . "_custom_field` = '[]'";
		};

		$this->db->query("INSERT INTO `" . DB_PREFIX . "order` SET `invoice_no` = '0', `invoice_prefix` = '" . $this->db->escape((string)$this->config->get('config_invoice_prefix')) . "', `store_id` = '0', `store_name` = '" . $this->db->escape((string)$this->config->get('config_name')) . "', `store_url` = '" . $this->db->escape($store_url) . "', `customer_id` = '0', `customer_group_id` = '" . (int)$this->config->get('config_customer_group_id') . "', `firstname` = '" . $this->db->escape($firstname) . "', `lastname` = '" . $this->db->escape($lastname) . "', `email` = '" . $this->db->escape($email) . "', `telephone` = '" . $this->db->escape($telephone) . "', `fax` = '', `custom_field` = '[]', " . $address_sql('payment') . ", `payment_method` = '" . $this->db->escape($method) . "', `payment_code` = '" . $this->db->escape(Package::CODE . '_' . $marketplace) . "', " . $address_sql('shipping') . ", `shipping_method` = '" . $this->db->escape($label) . "', `shipping_code` = '" . $this->db->escape(Package::CODE . '.' . $marketplace) . "', `comment` = '" . $this->db->escape($label . ' #' . $this->value($order, 'marketplace_order_id')) . "', `total` = '" . (float)($total / $currency_value) . "', `order_status_id` = '" . (int)$order_status_id . "', `affiliate_id` = '0', `commission` = '0', `marketing_id` = '0', `tracking` = '', `language_id` = '" . (int)$this->config->get('config_language_id') . "', `currency_id` = '" . $currency_id . "', `currency_code` = '" . $this->db->escape($currency_code) . "', `currency_value` = '" . (float)$currency_value . "', `ip` = '', `forwarded_ip` = '', `user_agent` = '" . $this->db->escape(Package::NAME) . "', `accept_language` = '', `date_added` = '" . $this->db->escape($this->date($this->value($order, 'date_added'))) . "', `date_modified` = NOW()");

		$order_id = (int)$this->db->getLastId();

		foreach ($lines as $line) {
			$sku = isset($line['sku']) ? (string)$line['sku'] : '';
			$quantity = (int)(isset($line['quantity']) ? $line['quantity'] : 0);
			$price = (float)(isset($line['price']) ? $line['price'] : 0) / $currency_value;
			$product = $this->findProduct($sku);

			$this->db->query("INSERT INTO `" . DB_PREFIX . "order_product` SET `order_id` = '" . $order_id . "', `product_id` = '" . (int)$product['product_id'] . "', `name` = '" . $this->db->escape(isset($line['name']) ? (string)$line['name'] : $sku) . "', `model` = '" . $this->db->escape($product['model'] !== '' ? $product['model'] : $sku) . "', `quantity` = '" . $quantity . "', `price` = '" . (float)$price . "', `total` = '" . (float)($price * $quantity) . "', `tax` = '0', `reward` = '0'");

			if ($product['product_id']) {
				$this->db->query("UPDATE `" . DB_PREFIX . "product` SET `quantity` = (`quantity` - " . $quantity . ") WHERE `product_id` = '" . (int)$product['product_id'] . "' AND `subtract` = '1'");

				$this->last_product_ids[] = (int)$product['product_id'];
			}
		}

		$this->db->query("INSERT INTO `" . DB_PREFIX . "order_total` SET `order_id` = '" . $order_id . "', `code` = 'sub_total', `title` = 'Sub-Total', `value` = '" . (float)($subtotal / $currency_value) . "', `sort_order` = '1'");

		if (abs($total - $subtotal) > 0.0001) {
			$this->db->query("INSERT INTO `" . DB_PREFIX . "order_total` SET `order_id` = '" . $order_id . "', `code` = 'shipping', `title` = '" . $this->db->escape($label) . "', `value` = '" . (float)(($total - $subtotal) / $currency_value) . "', `sort_order` = '3'");
		}

		$this->db->query("INSERT INTO `" . DB_PREFIX . "order_total` SET `order_id` = '" . $order_id . "', `code` = 'total', `title` = 'Total', `value` = '" . (float)($total / $currency_value) . "', `sort_order` = '9'");

		$this->db->query("INSERT INTO `" . DB_PREFIX . "order_history` SET `order_id` = '" . $order_id . "', `order_status_id` = '" . (int)$order_status_id . "', `notify` = '0', `comment` = '" . $this->db->escape($label . ': ' . $this->value($order, 'marketplace_order_id')) . "', `date_added` = NOW()");

		$this->last_product_ids = array_values(array_unique($this->last_product_ids));

		return $order_id;
	}

	/**
	 * @param array $data
	 * @param string $key
	 * @param string $default
	 * @return string
	 */
	private function value(array $data, $key, $default = '') {
		return (isset($data[$key]) && is_scalar($data[$key]) && (string)$data[$key] !== '') ? trim((string)$data[$key]) : $default;
	}

	/**
	 * @param string $value Y-m-d H:i:s from the client
	 * @return string
	 */
	private function date($value) {
		$time = $value !== '' ? strtotime($value) : false;

		return date('Y-m-d H:i:s', $time ? $time : time());
	}

	/**
	 * @param string $iso2
	 * @return array country_id, name
	 */
	private function findCountry($iso2) {
		if ($iso2 !== '') {
			$query = $this->db->query("SELECT `country_id`, `name` FROM `" . DB_PREFIX . "country` WHERE `iso_code_2` = '" . $this->db->escape(strtoupper($iso2)) . "'");

			if ($query->num_rows) {
				return $query->row;
			}
		}

		return array('country_id' => 0, 'name' => $iso2);
	}

	/**
	 * @param int $country_id
	 * @param string $name
	 * @return array zone_id, name
	 */
	private function findZone($country_id, $name) {
		if ($country_id && $name !== '') {
			$query = $this->db->query("SELECT `zone_id`, `name` FROM `" . DB_PREFIX . "zone` WHERE `country_id` = '" . (int)$country_id . "' AND (`name` = '" . $this->db->escape($name) . "' OR `code` = '" . $this->db->escape($name) . "') LIMIT 1");

			if ($query->num_rows) {
				return $query->row;
			}
		}

		return array('zone_id' => 0, 'name' => $name);
	}

	/**
	 * Match a marketplace line to a store product by SKU, then model.
	 *
	 * @param string $sku
	 * @return array product_id, model
	 */
	private function findProduct($sku) {
		if ($sku !== '') {
			$query = $this->db->query("SELECT `product_id`, `model` FROM `" . DB_PREFIX . "product` WHERE `sku` = '" . $this->db->escape($sku) . "' OR `model` = '" . $this->db->escape($sku) . "' ORDER BY (`sku` = '" . $this->db->escape($sku) . "') DESC LIMIT 1");

			if ($query->num_rows) {
				return array('product_id' => (int)$query->row['product_id'], 'model' => (string)$query->row['model']);
			}
		}

		return array('product_id' => 0, 'model' => '');
	}
}
