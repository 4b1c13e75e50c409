<?php
/**
 * MesChain Sync > Dashboard: a card per marketplace, recent activity, rule-based insights,
 * a performance chart (jquery.flot shipped with the OpenCart 3 admin) and a JSON refresh.
 */
class ControllerExtensionMestechDashboard extends \Mestech\AdminController {
	/** @var string */
	protected $page = 'dashboard';

	public function index() {
		if (!$this->allowed('access')) {
			return $this->deny();
		}

		$this->loadLanguage();

		$this->document->addScript('view/javascript/jquery/flot/jquery.flot.js');
		$this->document->addScript('view/javascript/jquery/flot/jquery.flot.resize.min.js');
		$this->document->addScript('view/javascript/mestech/meschain.js');

		$data = $this->collect(false);

		$data['refresh'] = $this->link('extension/mestech/dashboard/refresh');
		$data['run_sync'] = $this->link('extension/mestech/marketplace/runSync');
		$data['settings'] = $this->link('extension/mestech/settings');
		$data['analytics'] = $this->link('extension/mestech/analytics');
		$data['support'] = $this->link('extension/mestech/support');
		$data['module_status'] = (int)$this->config->get(\Mestech\Package::SETTING_CODE . '_status');

		$this->response->setOutput($this->load->view('extension/mestech/dashboard', $this->layout($data)));
	}

	/**
	 * JSON: cards, chart, insights and activity. Users allowed to modify also recompute insights.
	 */
	public function refresh() {
		$this->loadLanguage();

		if (!$this->allowed('access')) {
			$this->json(array('error' => $this->language->get('error_permission')));

			return;
		}

		$data = $this->collect($this->allowed('modify'));

		$this->json(array(
			'success'    => $this->language->get('text_refreshed'),
			'cards'      => $data['cards'],
			'chart'      => $data['chart'],
			'insights'   => $data['insights'],
			'activities' => $data['activities'],
			'updated'    => $data['updated']
		));
	}

	/**
	 * @param bool $regenerate recompute the rule-based insights first
	 * @return array
	 */
	private function collect($regenerate) {
		$this->load->model('extension/mestech/sync');
		$this->load->model('extension/mestech/insight');
		$this->load->model('extension/mestech/log');

		if ($regenerate || $this->model_extension_mestech_insight->getLastRun() === '') {
			$this->model_extension_mestech_insight->generate();
		}

		$format = $this->language->get('datetime_format');

		$data = array();

		// Only marketplaces switched on in Settings get a card.
		$data['cards'] = array();

		foreach ($this->model_extension_mestech_sync->getMarketplaceStats() as $code => $stat) {
			if (!$stat['active']) {
				continue;
			}

			$stat['last_sync'] = $stat['last_sync'] ? date($format, strtotime($stat['last_sync'])) : $this->language->get('text_never');
			$stat['href'] = $this->link('extension/mestech/marketplace', 'filter_marketplace=' . $code);

			$data['cards'][] = $stat;
		}

		$labels = $this->marketplaceLabels();

		$data['activities'] = array();

		foreach ($this->model_extension_mestech_log->getLogs(array('start' => 0, 'limit' => 10)) as $log) {
			$data['activities'][] = array(
				'level'       => $log['log_level'],
				'marketplace' => ($log['marketplace'] && isset($labels[$log['marketplace']])) ? $labels[$log['marketplace']] : (string)$log['marketplace'],
				'action'      => $log['log_action'],
				'message'     => $log['log_message'],
				'date_added'  => date($format, strtotime($log['date_added']))
			);
		}

		$data['insights'] = array();

		foreach ($this->model_extension_mestech_insight->getInsights(10) as $insight) {
			$data['insights'][] = $this->describeInsight($insight, $labels);
		}

		$series = $this->model_extension_mestech_sync->getChartData(14);

		$data['chart'] = array(
			array('label' => $this->language->get('text_chart_synced'), 'data' => $series['synced']),
			array('label' => $this->language->get('text_chart_failed'), 'data' => $series['failed']),
			array('label' => $this->language->get('text_chart_orders'), 'data' => $series['orders'])
		);

		$data['updated'] = date($format);

		return $data;
	}

	/**
	 * @param array $insight meschain_ai_analytics row
	 * @param array $labels
	 * @return array
	 */
	private function describeInsight(array $insight, array $labels) {
		$info = json_decode((string)$insight['analytics_data'], true);
		$info = is_array($info) ? $info : array();

		$marketplace = ($insight['marketplace'] && isset($labels[$insight['marketplace']])) ? $labels[$insight['marketplace']] : '';
		$name = isset($info['name']) && $info['name'] !== '' ? $info['name'] : '#' . (int)$insight['entity_id'];

		switch ($insight['rule_code']) {
			case 'repeated_failures':
				$text = sprintf($this->language->get('text_insight_repeated_failures'), $name, $marketplace, isset($info['attempts']) ? (int)$info['attempts'] : 0);
				break;
			case 'stale_queue':
				$text = sprintf($this->language->get('text_insight_stale_queue'), $marketplace, isset($info['total']) ? (int)$info['total'] : 0, isset($info['hours']) ? (int)$info['hours'] : 0);
				break;
			case 'out_of_stock_listed':
				$text = sprintf($this->language->get('text_insight_out_of_stock_listed'), $name, $marketplace);
				break;
			case 'price_outlier':
				$text = sprintf($this->language->get('text_insight_price_outlier'), $name, isset($info['ratio']) ? $info['ratio'] : 0, isset($info['category']) ? $info['category'] : '');
				break;
			default:
				$text = (string)$insight['rule_code'];
		}

		return array(
			'analytics_id' => (int)$insight['analytics_id'],
			'severity'     => $insight['severity'],
			'rule'         => $this->language->get('text_rule_' . $insight['rule_code']),
			'text'         => $text,
			'product_href' => $insight['entity_type'] === 'product' ? $this->link('catalog/product/edit', 'product_id=' . (int)$insight['entity_id']) : ''
		);
	}
}
