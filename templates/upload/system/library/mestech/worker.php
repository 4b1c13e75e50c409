<?php
/**
 * The sync worker shared by the admin ("run sync now") and the catalog cron route.
 *
 * - products: meschain_product_sync rows that are due are sent with the marketplace
 *   client; failures are retried with exponential backoff up to max_attempts.
 * - orders: new marketplace orders become OpenCart orders, linked in
 *   meschain_order_integration (UNIQUE marketplace + marketplace_order_id: idempotent).
 * - shipments: tracking numbers entered in the admin are pushed back once.
 */
namespace Mestech;

class Worker {
	/** @var object OpenCart DB */
	private $db;
	/** @var object OpenCart Config */
	private $config;
	/** @var Settings */
	private $settings;
	/** @var Log */
	private $log;
	/** @var array */
	private $options;
	/** @var array marketplace code => client */
	private $clients = array();

	/**
	 * @param object $db
	 * @param object $config
	 * @param array $options image_base (URL of the store's image/ folder), user_id
	 */
	public function __construct($db, $config, array $options = array()) {
		$this->db = $db;
		$this->config = $config;
		$this->options = array_merge(array(
			'image_base' => '',
			'user_id'    => 0
		), $options);
		$this->settings = new Settings($db, (string)$config->get('config_encryption'));
		$this->log = new Log($db, (int)$this->options['user_id']);
	}

	/**
	 * @return Settings
	 */
	public function getSettings() {
		return $this->settings;
	}

	/**
	 * A module setting (module_<code>_<name>) with a default.
	 *
	 * @param string $name
	 * @param mixed $default
	 * @return mixed
	 */
	public function option($name, $default) {
		$value = $this->config->get(Package::SETTING_CODE . '_' . $name);

		return ($value === null || $value === '') ? $default : $value;
	}

	/**
	 * Marketplaces that are in the package and switched on in the settings page.
	 *
	 * @return array codes
	 */
	public function activeMarketplaces() {
		$codes = array();

		foreach (array_keys(Package::marketplaces()) as $code) {
			if ($this->settings->isActive($code)) {
				$codes[] = $code;
			}
		}

		return $codes;
	}

	/**
	 * Queue one product for the given marketplaces (all active ones by default).
	 *
	 * @param int $product_id
	 * @param array|null $marketplaces
	 * @param int $priority
	 * @return int rows queued
	 */
	public function enqueue($product_id, $marketplaces = null, $priority = 1) {
		if ($marketplaces === null) {
			$marketplaces = $this->activeMarketplaces();
		}

		$count = 0;
		$max_attempts = (int)$this->option('max_attempts', 5);

		foreach ((array)$marketplaces as $code) {
			if (!Package::hasMarketplace($code)) {
				continue;
			}

			$this->db->query("INSERT INTO `" . DB_PREFIX . "meschain_product_sync` SET `product_id` = '" . (int)$product_id . "', `marketplace` = '" . $this->db->escape($code) . "', `sync_status` = 'pending', `sync_type` = 'create', `next_sync` = NOW(), `sync_attempts` = '0', `max_attempts` = '" . (int)$max_attempts . "', `priority` = '" . (int)$priority . "', `auto_sync` = '1', `date_added` = NOW(), `date_modified` = NOW() ON DUPLICATE KEY UPDATE `sync_status` = IF(`sync_status` = 'disabled', 'disabled', 'pending'), `sync_type` = IF(`marketplace_product_id` IS NULL OR `marketplace_product_id` = '', 'create', 'update'), `next_sync` = NOW(), `sync_attempts` = '0', `max_attempts` = VALUES(`max_attempts`), `priority` = GREATEST(`priority`, VALUES(`priority`)), `date_modified` = NOW()");

			$count++;
		}

		return $count;
	}

	/**
	 * Queue every enabled product of the store for one marketplace.
	 *
	 * @param string $marketplace
	 * @return int products queued
	 */
	public function enqueueAll($marketplace) {
		if (!Package::hasMarketplace($marketplace)) {
			return 0;
		}

		$query = $this->db->query("SELECT `product_id` FROM `" . DB_PREFIX . "product` WHERE `status` = '1'");

		foreach ($query->rows as $row) {
			$this->enqueue((int)$row['product_id'], array($marketplace));
		}

		return count($query->rows);
	}

	/**
	 * Run everything: product queue, order import, shipment push, for every active marketplace.
	 *
	 * @param string $only one marketplace code, or '' for all
	 * @return array summary per marketplace
	 */
	public function run($only = '') {
		$summary = array();

		foreach ($this->activeMarketplaces() as $code) {
			if ($only !== '' && $only !== $code) {
				continue;
			}

			$summary[$code] = array(
				'products'  => $this->processQueue($code),
				'orders'    => $this->importOrders($code),
				'shipments' => $this->pushShipments($code)
			);
		}

		return $summary;
	}

	/**
	 * Process due queue items of one marketplace.
	 *
	 * @param string $marketplace
	 * @param int $limit 0 = batch_size setting
	 * @param int $product_id only this product (ignores next_sync), 0 = all due
	 * @return array processed, synced, failed
	 */
	public function processQueue($marketplace, $limit = 0, $product_id = 0) {
		$result = array('processed' => 0, 'synced' => 0, 'failed' => 0);

		if (!Package::hasMarketplace($marketplace)) {
			return $result;
		}

		if ($limit <= 0) {
			$limit = max(1, (int)$this->option('batch_size', 25));
		}

		// Items left in "syncing" by an interrupted run are released after one hour.
		$this->db->query("UPDATE `" . DB_PREFIX . "meschain_product_sync` SET `sync_status` = 'pending' WHERE `sync_status` = 'syncing' AND `date_modified` < DATE_SUB(NOW(), INTERVAL 1 HOUR)");

		$sql = "SELECT * FROM `" . DB_PREFIX . "meschain_product_sync` WHERE `marketplace` = '" . $this->db->escape($marketplace) . "' AND `sync_status` IN ('pending', 'error') AND `sync_attempts` < `max_attempts`";

		if ($product_id) {
			$sql .= " AND `product_id` = '" . (int)$product_id . "'";
		} else {
			$sql .= " AND `auto_sync` = '1' AND (`next_sync` IS NULL OR `next_sync` <= NOW())";
		}

		$sql .= " ORDER BY `priority` DESC, `next_sync` ASC LIMIT " . (int)$limit;

		$query = $this->db->query($sql);

		foreach ($query->rows as $row) {
			// Claim the row so that two workers never send the same item.
			$this->db->query("UPDATE `" . DB_PREFIX . "meschain_product_sync` SET `sync_status` = 'syncing', `date_modified` = NOW() WHERE `sync_id` = '" . (int)$row['sync_id'] . "' AND `sync_status` IN ('pending', 'error')");

			if ($this->db->countAffected() < 1) {
				continue;
			}

			$result['processed']++;

			if ($this->syncItem($row)) {
				$result['synced']++;
			} else {
				$result['failed']++;
			}
		}

		return $result;
	}

	/**
	 * Send one queue row; records status, attempts, error and next_sync.
	 *
	 * @param array $row meschain_product_sync row
	 * @return bool
	 */
	private function syncItem(array $row) {
		$marketplace = $row['marketplace'];
		$product = $this->buildProduct((int)$row['product_id']);

		if (!$product) {
			$this->db->query("UPDATE `" . DB_PREFIX . "meschain_product_sync` SET `sync_status` = 'disabled', `error_message` = 'Product not found', `next_sync` = NULL, `date_modified` = NOW() WHERE `sync_id` = '" . (int)$row['sync_id'] . "'");

			return false;
		}

		$start = microtime(true);

		try {
			$client = $this->client($marketplace);

			if (!empty($row['marketplace_product_id']) && $row['sync_type'] === 'update' && !empty($row['marketplace_sku'])) {
				$response = $client->updateStockPrice((string)$row['marketplace_sku'], (int)$product['quantity'], (float)$product['price']);
				$response = array_merge(array('marketplace_product_id' => $row['marketplace_product_id'], 'sku' => $row['marketplace_sku']), is_array($response) ? $response : array());
			} else {
				$response = $client->upsertProduct($product);
			}

			$remote_id = isset($response['marketplace_product_id']) ? (string)$response['marketplace_product_id'] : '';
			$sku = isset($response['sku']) && $response['sku'] !== '' ? (string)$response['sku'] : $product['sku'];

			$this->db->query("UPDATE `" . DB_PREFIX . "meschain_product_sync` SET `sync_status` = 'synced', `sync_type` = 'update', `marketplace_product_id` = '" . $this->db->escape($remote_id) . "', `marketplace_sku` = '" . $this->db->escape($sku) . "', `last_sync` = NOW(), `next_sync` = NULL, `sync_attempts` = '0', `error_message` = NULL, `sync_data` = '" . $this->db->escape(json_encode($product)) . "', `response_data` = '" . $this->db->escape(json_encode($response)) . "', `date_modified` = NOW() WHERE `sync_id` = '" . (int)$row['sync_id'] . "'");

			$this->log->write('info', 'sync', 'product_synced', 'Product ' . (int)$row['product_id'] . ' synced', array('seconds' => round(microtime(true) - $start, 3)), $marketplace, 'product', (int)$row['product_id']);

			return true;
		} catch (\Exception $e) {
			$this->recordFailure($row, $e);

			return false;
		}
	}

	/**
	 * @param array $row
	 * @param \Exception $e
	 */
	private function recordFailure(array $row, \Exception $e) {
		$attempts = (int)$row['sync_attempts'] + 1;
		$max_attempts = max(1, (int)$row['max_attempts']);
		$message = $this->describe($e);

		if ($attempts >= $max_attempts) {
			$next = "NULL";
		} else {
			$delay = Package::backoff($attempts, (int)$this->option('backoff_base', 60), (int)$this->option('backoff_max', 21600));
			$next = "DATE_ADD(NOW(), INTERVAL " . (int)$delay . " SECOND)";
		}

		$this->db->query("UPDATE `" . DB_PREFIX . "meschain_product_sync` SET `sync_status` = 'error', `sync_attempts` = '" . (int)$attempts . "', `error_message` = '" . $this->db->escape($message) . "', `next_sync` = " . $next . ", `date_modified` = NOW() WHERE `sync_id` = '" . (int)$row['sync_id'] . "'");

		$this->log->write($attempts >= $max_attempts ? 'error' : 'warning', 'sync', 'product_failed', $message, array('attempt' => $attempts, 'max_attempts' => $max_attempts), $row['marketplace'], 'product', (int)$row['product_id']);
	}

	/**
	 * Fetch new orders of one marketplace and create OpenCart orders.
	 *
	 * @param string $marketplace
	 * @return array fetched, imported, skipped, failed
	 */
	public function importOrders($marketplace) {
		$result = array('fetched' => 0, 'imported' => 0, 'skipped' => 0, 'failed' => 0);

		if (!Package::hasMarketplace($marketplace) || !(int)$this->option('order_import', 1)) {
			return $result;
		}

		$run_started = time();
		$since = $this->settings->get($marketplace, 'general', 'last_order_sync', '');
		$since_ts = $since !== '' ? strtotime($since) : false;

		if (!$since_ts) {
			$since_ts = $run_started - 7 * 86400;
		}

		// Five minutes of overlap: duplicates are skipped by the unique key.
		$since_iso = gmdate('Y-m-d\TH:i:s\Z', $since_ts - 300);

		try {
			$orders = $this->client($marketplace)->fetchOrders($since_iso);
		} catch (\Exception $e) {
			$this->log->write('error', 'order', 'fetch_failed', $this->describe($e), array('since' => $since_iso), $marketplace);
			$result['failed']++;

			return $result;
		}

		$importer = new OrderImporter($this->db, $this->config);
		$all = Package::marketplaces();

		foreach ((array)$orders as $order) {
			$result['fetched']++;

			if (!is_array($order) || empty($order['marketplace_order_id'])) {
				$result['failed']++;

				continue;
			}

			$remote_id = (string)$order['marketplace_order_id'];

			if (!$this->claimOrder($marketplace, $remote_id, $order)) {
				$result['skipped']++;

				continue;
			}

			try {
				$order_id = $importer->create($order, $marketplace, $all[$marketplace]['label'], (int)$this->option('order_status_id', (int)$this->config->get('config_order_status_id')));

				$this->db->query("UPDATE `" . DB_PREFIX . "meschain_order_integration` SET `order_id` = '" . (int)$order_id . "', `integration_status` = 'integrated', `error_message` = NULL, `date_integrated` = NOW(), `date_modified` = NOW() WHERE `marketplace` = '" . $this->db->escape($marketplace) . "' AND `marketplace_order_id` = '" . $this->db->escape($remote_id) . "'");

				$this->log->write('info', 'order', 'order_imported', 'Order ' . $remote_id . ' imported as #' . (int)$order_id, array(), $marketplace, 'order', (int)$order_id);

				// Stock changed: queue the sold products for every active marketplace.
				foreach ($importer->getLastProductIds() as $product_id) {
					$this->enqueue($product_id);
				}

				$result['imported']++;
			} catch (\Exception $e) {
				$message = $this->describe($e);

				$this->db->query("UPDATE `" . DB_PREFIX . "meschain_order_integration` SET `integration_status` = 'error', `error_message` = '" . $this->db->escape($message) . "', `date_modified` = NOW() WHERE `marketplace` = '" . $this->db->escape($marketplace) . "' AND `marketplace_order_id` = '" . $this->db->escape($remote_id) . "' AND `order_id` = '0'");

				$this->log->write('error', 'order', 'import_failed', $message, array('marketplace_order_id' => $remote_id), $marketplace);

				$result['failed']++;
			}
		}

		$this->settings->set($marketplace, 'general', 'last_order_sync', date('Y-m-d H:i:s', $run_started));

		return $result;
	}

	/**
	 * Reserve a marketplace order for import. Returns false when it was already imported
	 * (or is being imported); a previous failed attempt (order_id 0, status error) is retried.
	 *
	 * @param string $marketplace
	 * @param string $remote_id
	 * @param array $order
	 * @return bool
	 */
	private function claimOrder($marketplace, $remote_id, array $order) {
		$number = isset($order['order_number']) ? (string)$order['order_number'] : '';
		$status = isset($order['status']) ? (string)$order['status'] : '';

		$this->db->query("INSERT IGNORE INTO `" . DB_PREFIX . "meschain_order_integration` SET `order_id` = '0', `marketplace` = '" . $this->db->escape($marketplace) . "', `marketplace_order_id` = '" . $this->db->escape($remote_id) . "', `marketplace_order_number` = '" . $this->db->escape($number) . "', `integration_status` = 'pending', `marketplace_status` = '" . $this->db->escape(substr($status, 0, 100)) . "', `marketplace_data` = '" . $this->db->escape(json_encode($order)) . "', `date_added` = NOW(), `date_modified` = NOW()");

		if ($this->db->countAffected() > 0) {
			return true;
		}

		$this->db->query("UPDATE `" . DB_PREFIX . "meschain_order_integration` SET `integration_status` = 'pending', `date_modified` = NOW() WHERE `marketplace` = '" . $this->db->escape($marketplace) . "' AND `marketplace_order_id` = '" . $this->db->escape($remote_id) . "' AND `order_id` = '0' AND `integration_status` = 'error'");

		return $this->db->countAffected() > 0;
	}

	/**
	 * Push tracking numbers that were entered but not yet sent.
	 *
	 * @param string $marketplace
	 * @return array pushed, failed
	 */
	public function pushShipments($marketplace) {
		$result = array('pushed' => 0, 'failed' => 0);

		if (!Package::hasMarketplace($marketplace)) {
			return $result;
		}

		$query = $this->db->query("SELECT * FROM `" . DB_PREFIX . "meschain_order_integration` WHERE `marketplace` = '" . $this->db->escape($marketplace) . "' AND `order_id` > '0' AND `tracking_number` IS NOT NULL AND `tracking_number` <> '' AND `tracking_pushed` = '0' LIMIT 50");

		foreach ($query->rows as $row) {
			try {
				$this->client($marketplace)->pushShipment((string)$row['marketplace_order_id'], (string)$row['carrier'], (string)$row['tracking_number']);

				$this->db->query("UPDATE `" . DB_PREFIX . "meschain_order_integration` SET `tracking_pushed` = '1', `integration_status` = 'shipped', `date_shipped` = NOW(), `error_message` = NULL, `date_modified` = NOW() WHERE `integration_id` = '" . (int)$row['integration_id'] . "'");

				$this->log->write('info', 'shipment', 'tracking_pushed', 'Tracking ' . $row['tracking_number'] . ' sent', array(), $marketplace, 'order', (int)$row['order_id']);

				$result['pushed']++;
			} catch (\Exception $e) {
				$message = $this->describe($e);

				$this->db->query("UPDATE `" . DB_PREFIX . "meschain_order_integration` SET `error_message` = '" . $this->db->escape($message) . "', `date_modified` = NOW() WHERE `integration_id` = '" . (int)$row['integration_id'] . "'");

				$this->log->write('error', 'shipment', 'push_failed', $message, array(), $marketplace, 'order', (int)$row['order_id']);

				$result['failed']++;
			}
		}

		return $result;
	}

	/**
	 * Test the credentials of one marketplace.
	 *
	 * @param string $marketplace
	 * @return array ok, message
	 */
	public function testConnection($marketplace) {
		try {
			$result = $this->client($marketplace)->testConnection();

			return array(
				'ok'      => !empty($result['ok']),
				'message' => isset($result['message']) ? (string)$result['message'] : ''
			);
		} catch (\Exception $e) {
			$this->log->write('error', 'connection', 'test_failed', $this->describe($e), array(), $marketplace);

			return array('ok' => false, 'message' => $this->describe($e));
		}
	}

	/**
	 * @param string $marketplace
	 * @return object marketplace client
	 */
	private function client($marketplace) {
		if (!isset($this->clients[$marketplace])) {
			if (!class_exists('Mestech\Api\Factory')) {
				throw new \RuntimeException('Marketplace client library is missing.');
			}

			$logger = new \Mestech\Api\DbLogger($this->db);

			$this->clients[$marketplace] = \Mestech\Api\Factory::create($marketplace, $this->settings->clientSettings($marketplace), $logger);
		}

		return $this->clients[$marketplace];
	}

	/**
	 * The normalized product the clients expect, or null when it does not exist.
	 *
	 * @param int $product_id
	 * @return array|null
	 */
	public function buildProduct($product_id) {
		$language_id = (int)$this->config->get('config_language_id');

		$query = $this->db->query("SELECT p.*, pd.`name`, pd.`description`, m.`name` AS manufacturer FROM `" . DB_PREFIX . "product` p LEFT JOIN `" . DB_PREFIX . "product_description` pd ON (p.`product_id` = pd.`product_id` AND pd.`language_id` = '" . $language_id . "') LEFT JOIN `" . DB_PREFIX . "manufacturer` m ON (p.`manufacturer_id` = m.`manufacturer_id`) WHERE p.`product_id` = '" . (int)$product_id . "'");

		if (!$query->num_rows) {
			return null;
		}

		$row = $query->row;
		$base = (string)$this->options['image_base'];

		$images = array();

		if (!empty($row['image'])) {
			$images[] = $base . $row['image'];
		}

		$image_query = $this->db->query("SELECT `image` FROM `" . DB_PREFIX . "product_image` WHERE `product_id` = '" . (int)$product_id . "' ORDER BY `sort_order` ASC");

		foreach ($image_query->rows as $image) {
			if ($image['image'] !== '') {
				$images[] = $base . $image['image'];
			}
		}

		$category_query = $this->db->query("SELECT cd.`name` FROM `" . DB_PREFIX . "product_to_category` p2c LEFT JOIN `" . DB_PREFIX . "category_description` cd ON (p2c.`category_id` = cd.`category_id` AND cd.`language_id` = '" . $language_id . "') WHERE p2c.`product_id` = '" . (int)$product_id . "' LIMIT 1");

		$attributes = array();

		$attribute_query = $this->db->query("SELECT ad.`name`, pa.`text` FROM `" . DB_PREFIX . "product_attribute` pa LEFT JOIN `" . DB_PREFIX . "attribute_description` ad ON (pa.`attribute_id` = ad.`attribute_id` AND ad.`language_id` = '" . $language_id . "') WHERE pa.`product_id` = '" . (int)$product_id . "' AND pa.`language_id` = '" . $language_id . "'");

		foreach ($attribute_query->rows as $attribute) {
			if ($attribute['name'] !== null) {
				$attributes[$attribute['name']] = $attribute['text'];
			}
		}

		$sku = trim((string)$row['sku']) !== '' ? trim((string)$row['sku']) : trim((string)$row['model']);
		$barcode = '';

		foreach (array('ean', 'upc', 'jan', 'isbn', 'mpn') as $field) {
			if (isset($row[$field]) && trim((string)$row[$field]) !== '') {
				$barcode = trim((string)$row[$field]);

				break;
			}
		}

		return array(
			'product_id'  => (int)$row['product_id'],
			'sku'         => $sku,
			'model'       => (string)$row['model'],
			'name'        => html_entity_decode((string)$row['name'], ENT_QUOTES, 'UTF-8'),
			'description' => html_entity_decode((string)$row['description'], ENT_QUOTES, 'UTF-8'),
			'price'       => (float)$row['price'],
			'quantity'    => (int)$row['quantity'],
			'currency'    => (string)$this->config->get('config_currency'),
			'barcode'     => $barcode,
			'brand'       => $row['manufacturer'] !== null ? html_entity_decode((string)$row['manufacturer'], ENT_QUOTES, 'UTF-8') : '',
			'images'      => $images,
			'category'    => ($category_query->num_rows && $category_query->row['name'] !== null) ? html_entity_decode((string)$category_query->row['name'], ENT_QUOTES, 'UTF-8') : '',
			'attributes'  => $attributes
		);
	}

	/**
	 * @param \Exception $e
	 * @return string
	 */
	private function describe(\Exception $e) {
		$code = (int)$e->getCode();

		return ($code ? '[' . $code . '] ' : '') . $e->getMessage();
	}
}
