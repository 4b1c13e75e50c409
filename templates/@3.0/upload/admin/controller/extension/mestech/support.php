<?php
/**
 * MesChain Sync > Support: version, requirement checks, log viewer (meschain_logs), links.
 */
class ControllerExtensionMestechSupport extends \Mestech\AdminController {
	/** @var string */
	protected $page = 'support';

	/** Log levels that can be filtered. */
	const LEVELS = array('debug', 'info', 'warning', 'error', 'critical');

	public function index() {
		if (!$this->allowed('access')) {
			return $this->deny();
		}

		$this->loadLanguage();

		$this->load->model('extension/mestech/log');

		$data['name'] = \Mestech\Package::NAME;
		$data['version'] = \Mestech\Package::VERSION;
		$data['author'] = \Mestech\Package::AUTHOR;
		$data['link'] = \Mestech\Package::LINK;
		$data['opencart_version'] = VERSION;
		$data['php_version'] = PHP_VERSION;

		$data['requirements'] = \Mestech\Package::checkRequirements(VERSION);
		$data['encryption_ok'] = (string)$this->config->get('config_encryption') !== '';

		$filter_level = in_array($this->get('filter_level'), self::LEVELS, true) ? $this->get('filter_level') : '';
		$filter_marketplace = $this->marketplaceCode($this->get('filter_marketplace'));
		$page = max(1, (int)$this->get('page', 1));
		$limit = 25;

		$filter = array('level' => $filter_level, 'marketplace' => $filter_marketplace, 'start' => ($page - 1) * $limit, 'limit' => $limit);

		$labels = $this->marketplaceLabels();
		$format = $this->language->get('datetime_format');

		$data['logs'] = array();

		foreach ($this->model_extension_mestech_log->getLogs($filter) as $log) {
			$data['logs'][] = array(
				'log_id'      => (int)$log['log_id'],
				'level'       => $log['log_level'],
				'type'        => $log['log_type'],
				'action'      => $log['log_action'],
				'message'     => $log['log_message'],
				'data'        => (string)$log['log_data'],
				'marketplace' => ($log['marketplace'] && isset($labels[$log['marketplace']])) ? $labels[$log['marketplace']] : (string)$log['marketplace'],
				'entity'      => $log['entity_type'] ? $log['entity_type'] . ' #' . (int)$log['entity_id'] : '',
				'date_added'  => date($format, strtotime($log['date_added']))
			);
		}

		$total = $this->model_extension_mestech_log->getTotalLogs($filter);

		$url = '';

		if ($filter_level !== '') {
			$url .= '&filter_level=' . $filter_level;
		}

		if ($filter_marketplace !== '') {
			$url .= '&filter_marketplace=' . $filter_marketplace;
		}

		$pagination = new Pagination();
		$pagination->total = $total;
		$pagination->page = $page;
		$pagination->limit = $limit;
		$pagination->url = $this->link('extension/mestech/support', ltrim($url . '&page={page}', '&'));

		$data['pagination'] = $pagination->render();
		$data['results'] = sprintf($this->language->get('text_pagination'), ($total) ? (($page - 1) * $limit) + 1 : 0, ((($page - 1) * $limit) > ($total - $limit)) ? $total : ((($page - 1) * $limit) + $limit), $total, ceil($total / $limit));

		$data['filter_level'] = $filter_level;
		$data['filter_marketplace'] = $filter_marketplace;
		$data['levels'] = self::LEVELS;
		$data['marketplaces'] = $labels;

		$data['action_filter'] = $this->link('extension/mestech/support');
		$data['action_clear'] = $this->link('extension/mestech/support/clear');
		$data['modifications'] = $this->link('marketplace/modification');
		$data['error_log'] = $this->link('tool/log');

		$this->response->setOutput($this->load->view('extension/mestech/support', $this->layout($data)));
	}

	/**
	 * POST days: delete log entries older than N days (0 = all).
	 */
	public function clear() {
		$this->loadLanguage();

		$days = $this->post('days', '30');

		if (!$this->allowed('modify')) {
			$this->session->data['error'] = $this->language->get('error_permission');
		} elseif (!$this->isPost() || !is_string($days) || !ctype_digit($days) || (int)$days > 3650) {
			$this->session->data['error'] = $this->language->get('error_days');
		} else {
			$this->load->model('extension/mestech/log');

			$this->model_extension_mestech_log->clear((int)$days);

			$this->session->data['success'] = $this->language->get('text_cleared');
		}

		$this->response->redirect($this->link('extension/mestech/support'));
	}
}
