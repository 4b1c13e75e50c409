<?php
/**
 * Rule-based insights and price suggestions computed from the store's own data.
 * Every result names the rule that produced it; nothing here is machine learning.
 */
class ModelExtensionMestechInsight extends Model {
	/** Rules of generate(). */
	const RULES = array('repeated_failures', 'stale_queue', 'out_of_stock_listed', 'price_outlier');

	/**
	 * @param string $name
	 * @param mixed $default
	 * @return mixed
	 */
	private function option($name, $default) {
		$value = $this->config->get(\Mestech\Package::SETTING_CODE . '_' . $name);

		return ($value === null || $value === '') ? $default : $value;
	}

	/**
	 * Recompute the insights and store them in meschain_ai_analytics.
	 *
	 * @return int number of insights stored
	 */
	public function generate() {
		$threshold = max(1, (int)$this->option('failure_threshold', 3));
		$stale_hours = max(1, (int)$this->option('stale_hours', 24));
		$factor = max(1.1, (float)$this->option('price_outlier_factor', 1.5));
		$language_id = (int)$this->config->get('config_language_id');
		$codes = array_keys(\Mestech\Package::marketplaces());

		if (!$codes) {
			return 0;
		}

		$in = "'" . implode("','", array_map(array($this->db, 'escape'), $codes)) . "'";

		$this->db->query("DELETE FROM `" . DB_PREFIX . "meschain_ai_analytics` WHERE `analytics_type` = 'rule_insight' AND (`action_taken` IS NULL OR `action_taken` <> 'dismissed' OR `date_expires` < NOW())");

		$count = 0;

		// 1. Repeated sync failures.
		$query = $this->db->query("SELECT ps.`product_id`, ps.`marketplace`, ps.`sync_attempts`, ps.`error_message`, pd.`name` FROM `" . DB_PREFIX . "meschain_product_sync` ps LEFT JOIN `" . DB_PREFIX . "product_description` pd ON (ps.`product_id` = pd.`product_id` AND pd.`language_id` = '" . $language_id . "') WHERE ps.`sync_status` = 'error' AND ps.`sync_attempts` >= '" . (int)$threshold . "' AND ps.`marketplace` IN (" . $in . ") ORDER BY ps.`sync_attempts` DESC LIMIT 100");

		foreach ($query->rows as $row) {
			$count += $this->store('product', (int)$row['product_id'], $row['marketplace'], 'repeated_failures', 'critical', array('attempts' => (int)$row['sync_attempts'], 'error' => (string)$row['error_message'], 'name' => (string)$row['name']));
		}

		// 2. Queue items overdue for longer than stale_hours: the cron job is probably not running.
		$query = $this->db->query("SELECT `marketplace`, COUNT(*) AS total, MIN(`next_sync`) AS oldest FROM `" . DB_PREFIX . "meschain_product_sync` WHERE `sync_status` = 'pending' AND `next_sync` < DATE_SUB(NOW(), INTERVAL " . (int)$stale_hours . " HOUR) AND `marketplace` IN (" . $in . ") GROUP BY `marketplace`");

		foreach ($query->rows as $row) {
			$count += $this->store('marketplace', 0, $row['marketplace'], 'stale_queue', 'warning', array('total' => (int)$row['total'], 'oldest' => $row['oldest'], 'hours' => $stale_hours));
		}

		// 3. Out-of-stock products that are still listed (synced) on a marketplace.
		$query = $this->db->query("SELECT ps.`product_id`, ps.`marketplace`, p.`quantity`, pd.`name` FROM `" . DB_PREFIX . "meschain_product_sync` ps INNER JOIN `" . DB_PREFIX . "product` p ON (ps.`product_id` = p.`product_id`) LEFT JOIN `" . DB_PREFIX . "product_description` pd ON (p.`product_id` = pd.`product_id` AND pd.`language_id` = '" . $language_id . "') WHERE ps.`sync_status` = 'synced' AND p.`quantity` <= '0' AND ps.`marketplace` IN (" . $in . ") LIMIT 100");

		foreach ($query->rows as $row) {
			$count += $this->store('product', (int)$row['product_id'], $row['marketplace'], 'out_of_stock_listed', 'warning', array('quantity' => (int)$row['quantity'], 'name' => (string)$row['name']));
		}

		// 4. Price outliers: listed products priced above factor x or below 1/factor x their category median.
		foreach ($this->priceOutliers($factor, 100) as $row) {
			$count += $this->store('product', (int)$row['product_id'], '', 'price_outlier', 'info', $row);
		}

		return $count;
	}

	/**
	 * @param string $entity_type
	 * @param int $entity_id
	 * @param string $marketplace
	 * @param string $rule
	 * @param string $severity
	 * @param array $data
	 * @return int 1 when stored, 0 when the same insight was dismissed
	 */
	private function store($entity_type, $entity_id, $marketplace, $rule, $severity, array $data) {
		$dismissed = $this->db->query("SELECT `analytics_id` FROM `" . DB_PREFIX . "meschain_ai_analytics` WHERE `analytics_type` = 'rule_insight' AND `rule_code` = '" . $this->db->escape($rule) . "' AND `entity_type` = '" . $this->db->escape($entity_type) . "' AND `entity_id` = '" . (int)$entity_id . "' AND `marketplace` " . ($marketplace !== '' ? "= '" . $this->db->escape($marketplace) . "'" : "IS NULL") . " AND `action_taken` = 'dismissed' LIMIT 1");

		if ($dismissed->num_rows) {
			return 0;
		}

		$this->db->query("INSERT INTO `" . DB_PREFIX . "meschain_ai_analytics` SET `entity_type` = '" . $this->db->escape($entity_type) . "', `entity_id` = '" . (int)$entity_id . "', `marketplace` = " . ($marketplace !== '' ? "'" . $this->db->escape($marketplace) . "'" : "NULL") . ", `analytics_type` = 'rule_insight', `severity` = '" . $this->db->escape($severity) . "', `rule_code` = '" . $this->db->escape($rule) . "', `analytics_data` = '" . $this->db->escape(json_encode($data)) . "', `confidence_score` = '1.0000', `recommendation` = '', `date_analyzed` = NOW(), `date_expires` = DATE_ADD(NOW(), INTERVAL 7 DAY)");

		return 1;
	}

	/**
	 * @param int $limit
	 * @return array
	 */
	public function getInsights($limit = 50) {
		return $this->db->query("SELECT * FROM `" . DB_PREFIX . "meschain_ai_analytics` WHERE `analytics_type` = 'rule_insight' AND (`action_taken` IS NULL OR `action_taken` <> 'dismissed') ORDER BY FIELD(`severity`, 'critical', 'warning', 'info'), `date_analyzed` DESC LIMIT " . max(1, (int)$limit))->rows;
	}

	/**
	 * @return array rule_code => count
	 */
	public function getInsightCounts() {
		$counts = array();

		foreach (self::RULES as $rule) {
			$counts[$rule] = 0;
		}

		$query = $this->db->query("SELECT `rule_code`, COUNT(*) AS total FROM `" . DB_PREFIX . "meschain_ai_analytics` WHERE `analytics_type` = 'rule_insight' AND (`action_taken` IS NULL OR `action_taken` <> 'dismissed') GROUP BY `rule_code`");

		foreach ($query->rows as $row) {
			$counts[$row['rule_code']] = (int)$row['total'];
		}

		return $counts;
	}

	/**
	 * @return string date of the last run, '' when never run
	 */
	public function getLastRun() {
		$query = $this->db->query("SELECT MAX(`date_analyzed`) AS last_run FROM `" . DB_PREFIX . "meschain_ai_analytics` WHERE `analytics_type` = 'rule_insight'");

		return $query->row['last_run'] ? (string)$query->row['last_run'] : '';
	}

	/**
	 * @param int $analytics_id
	 */
	public function dismiss($analytics_id) {
		$this->db->query("UPDATE `" . DB_PREFIX . "meschain_ai_analytics` SET `action_taken` = 'dismissed' WHERE `analytics_id` = '" . (int)$analytics_id . "'");
	}

	/**
	 * Products priced far from the median of their category (categories of 3+ priced products).
	 *
	 * @param float $factor
	 * @param int $limit
	 * @return array
	 */
	public function priceOutliers($factor, $limit) {
		$language_id = (int)$this->config->get('config_language_id');

		$query = $this->db->query("SELECT p2c.`category_id`, p.`product_id`, p.`price`, pd.`name`, cd.`name` AS category FROM `" . DB_PREFIX . "product_to_category` p2c INNER JOIN `" . DB_PREFIX . "product` p ON (p2c.`product_id` = p.`product_id`) LEFT JOIN `" . DB_PREFIX . "product_description` pd ON (p.`product_id` = pd.`product_id` AND pd.`language_id` = '" . $language_id . "') LEFT JOIN `" . DB_PREFIX . "category_description` cd ON (p2c.`category_id` = cd.`category_id` AND cd.`language_id` = '" . $language_id . "') WHERE p.`status` = '1' AND p.`price` > '0' ORDER BY p2c.`category_id`");

		$categories = array();

		foreach ($query->rows as $row) {
			$categories[$row['category_id']][] = $row;
		}

		$result = array();
		$seen = array();

		foreach ($categories as $rows) {
			if (count($rows) < 3) {
				continue;
			}

			$median = $this->median(array_map(function ($row) {
				return (float)$row['price'];
			}, $rows));

			if ($median <= 0) {
				continue;
			}

			foreach ($rows as $row) {
				$price = (float)$row['price'];
				$ratio = $price / $median;

				if (($ratio >= $factor || $ratio <= 1 / $factor) && !isset($seen[$row['product_id']])) {
					$seen[$row['product_id']] = true;

					$result[] = array(
						'product_id' => (int)$row['product_id'],
						'name'       => (string)$row['name'],
						'category'   => (string)$row['category'],
						'price'      => round($price, 2),
						'median'     => round($median, 2),
						'ratio'      => round($ratio, 2),
						'peers'      => count($rows)
					);

					if (count($result) >= $limit) {
						return $result;
					}
				}
			}
		}

		return $result;
	}

	/**
	 * Price suggestions from three stated rules:
	 *  - category_median: price beyond factor x the category median -> suggest the median;
	 *  - slow_mover: stock >= 10 and no units sold in 90 days -> suggest 10% lower;
	 *  - low_stock_demand: 5+ units sold in 30 days and stock below that -> suggest 5% higher.
	 *
	 * @param int $limit
	 * @return array
	 */
	public function priceSuggestions($limit = 50) {
		$factor = max(1.1, (float)$this->option('price_outlier_factor', 1.5));
		$language_id = (int)$this->config->get('config_language_id');
		$suggestions = array();

		foreach ($this->priceOutliers($factor, $limit) as $row) {
			$suggestions[] = array(
				'product_id' => $row['product_id'],
				'name'       => $row['name'],
				'price'      => $row['price'],
				'suggested'  => $row['median'],
				'rule'       => 'category_median',
				'data'       => array('category' => $row['category'], 'median' => $row['median'], 'ratio' => $row['ratio'], 'peers' => $row['peers'])
			);
		}

		$complete = $this->config->get('config_complete_status');
		$processing = $this->config->get('config_processing_status');
		$statuses = array_map('intval', array_merge(is_array($complete) ? $complete : array(), is_array($processing) ? $processing : array()));

		if (!$statuses) {
			$statuses = array(0);
		}

		$sold_sql = "SELECT op.`product_id`, SUM(op.`quantity`) AS sold FROM `" . DB_PREFIX . "order_product` op INNER JOIN `" . DB_PREFIX . "order` o ON (op.`order_id` = o.`order_id`) WHERE o.`order_status_id` IN (" . implode(',', $statuses) . ") AND o.`date_added` >= DATE_SUB(NOW(), INTERVAL %d DAY) GROUP BY op.`product_id`";

		// Slow movers.
		$query = $this->db->query("SELECT p.`product_id`, p.`price`, p.`quantity`, pd.`name` FROM `" . DB_PREFIX . "product` p LEFT JOIN `" . DB_PREFIX . "product_description` pd ON (p.`product_id` = pd.`product_id` AND pd.`language_id` = '" . $language_id . "') LEFT JOIN (" . sprintf($sold_sql, 90) . ") s ON (p.`product_id` = s.`product_id`) WHERE p.`status` = '1' AND p.`price` > '0' AND p.`quantity` >= '10' AND p.`date_added` < DATE_SUB(NOW(), INTERVAL 90 DAY) AND (s.`sold` IS NULL OR s.`sold` = 0) ORDER BY p.`quantity` DESC LIMIT " . (int)$limit);

		foreach ($query->rows as $row) {
			$suggestions[] = array(
				'product_id' => (int)$row['product_id'],
				'name'       => (string)$row['name'],
				'price'      => round((float)$row['price'], 2),
				'suggested'  => round((float)$row['price'] * 0.9, 2),
				'rule'       => 'slow_mover',
				'data'       => array('quantity' => (int)$row['quantity'], 'days' => 90)
			);
		}

		// Demand above stock.
		$query = $this->db->query("SELECT p.`product_id`, p.`price`, p.`quantity`, pd.`name`, s.`sold` FROM `" . DB_PREFIX . "product` p LEFT JOIN `" . DB_PREFIX . "product_description` pd ON (p.`product_id` = pd.`product_id` AND pd.`language_id` = '" . $language_id . "') INNER JOIN (" . sprintf($sold_sql, 30) . ") s ON (p.`product_id` = s.`product_id`) WHERE p.`status` = '1' AND p.`price` > '0' AND s.`sold` >= 5 AND p.`quantity` < s.`sold` ORDER BY s.`sold` DESC LIMIT " . (int)$limit);

		foreach ($query->rows as $row) {
			$suggestions[] = array(
				'product_id' => (int)$row['product_id'],
				'name'       => (string)$row['name'],
				'price'      => round((float)$row['price'], 2),
				'suggested'  => round((float)$row['price'] * 1.05, 2),
				'rule'       => 'low_stock_demand',
				'data'       => array('sold' => (int)$row['sold'], 'quantity' => (int)$row['quantity'], 'days' => 30)
			);
		}

		return $suggestions;
	}

	/**
	 * @param int $product_id
	 * @param float $price
	 * @return bool
	 */
	public function applyPrice($product_id, $price) {
		$this->db->query("UPDATE `" . DB_PREFIX . "product` SET `price` = '" . (float)$price . "', `date_modified` = NOW() WHERE `product_id` = '" . (int)$product_id . "'");

		return $this->db->countAffected() > 0;
	}

	/**
	 * @param array $values
	 * @return float
	 */
	private function median(array $values) {
		sort($values);

		$count = count($values);

		if (!$count) {
			return 0.0;
		}

		$middle = (int)floor($count / 2);

		return ($count % 2) ? $values[$middle] : ($values[$middle - 1] + $values[$middle]) / 2;
	}
}
