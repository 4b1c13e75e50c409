<?php
/**
 * MesChain Sync > Analytics: stored rule-based insights and per-marketplace counts.
 */
class ControllerExtensionMestechAnalytics extends \Mestech\AdminController {
	/** @var string */
	protected $page = 'analytics';

	public function index() {
		if (!$this->allowed('access')) {
			return $this->deny();
		}

		$this->loadLanguage();

		$this->load->model('extension/mestech/sync');
		$this->load->model('extension/mestech/insight');

		$labels = $this->marketplaceLabels();
		$format = $this->language->get('datetime_format');

		$data['stats'] = array_values($this->model_extension_mestech_sync->getMarketplaceStats());

		$data['rule_counts'] = array();

		foreach ($this->model_extension_mestech_insight->getInsightCounts() as $rule => $count) {
			$data['rule_counts'][] = array('rule' => $this->language->get('text_rule_' . $rule), 'description' => $this->language->get('help_rule_' . $rule), 'count' => $count);
		}

		$data['insights'] = array();

		foreach ($this->model_extension_mestech_insight->getInsights(100) as $row) {
			$info = json_decode((string)$row['analytics_data'], true);

			$details = array();

			foreach (is_array($info) ? $info : array() as $key => $value) {
				if (is_scalar($value)) {
					$details[] = $key . ': ' . $value;
				}
			}

			$data['insights'][] = array(
				'analytics_id' => (int)$row['analytics_id'],
				'severity'     => $row['severity'],
				'rule'         => $this->language->get('text_rule_' . $row['rule_code']),
				'marketplace'  => ($row['marketplace'] && isset($labels[$row['marketplace']])) ? $labels[$row['marketplace']] : '',
				'entity'       => $row['entity_type'] . ($row['entity_id'] ? ' #' . (int)$row['entity_id'] : ''),
				'details'      => implode(', ', $details),
				'date'         => date($format, strtotime($row['date_analyzed'])),
				'href'         => $row['entity_type'] === 'product' ? $this->link('catalog/product/edit', 'product_id=' . (int)$row['entity_id']) : ''
			);
		}

		$last = $this->model_extension_mestech_insight->getLastRun();

		$data['last_run'] = $last !== '' ? date($format, strtotime($last)) : $this->language->get('text_never');
		$data['action_generate'] = $this->link('extension/mestech/analytics/generate');
		$data['action_dismiss'] = $this->link('extension/mestech/analytics/dismiss');

		$this->response->setOutput($this->load->view('extension/mestech/analytics', $this->layout($data)));
	}

	/**
	 * POST: recompute the insights.
	 */
	public function generate() {
		$this->loadLanguage();

		if (!$this->allowed('modify')) {
			$this->session->data['error'] = $this->language->get('error_permission');
		} elseif ($this->isPost()) {
			$this->load->model('extension/mestech/insight');

			$this->session->data['success'] = sprintf($this->language->get('text_generated'), $this->model_extension_mestech_insight->generate());
		}

		$this->response->redirect($this->link('extension/mestech/analytics'));
	}

	/**
	 * POST analytics_id: hide an insight until it expires.
	 */
	public function dismiss() {
		$this->loadLanguage();

		$analytics_id = (int)$this->post('analytics_id', 0);

		if (!$this->allowed('modify')) {
			$this->session->data['error'] = $this->language->get('error_permission');
		} elseif ($this->isPost() && $analytics_id > 0) {
			$this->load->model('extension/mestech/insight');

			$this->model_extension_mestech_insight->dismiss($analytics_id);

			$this->session->data['success'] = $this->language->get('text_dismissed');
		}

		$this->response->redirect($this->link('extension/mestech/analytics'));
	}
}
