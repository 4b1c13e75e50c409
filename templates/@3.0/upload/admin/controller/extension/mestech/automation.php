<?php
/**
 * MesChain Sync > Automation: cron URL and token, schedule, batch size, retries and backoff.
 */
class ControllerExtensionMestechAutomation extends \Mestech\AdminController {
	/** @var string */
	protected $page = 'automation';

	/**
	 * Numeric settings: name => array(min, max, default).
	 *
	 * @return array
	 */
	private function fields() {
		return array(
			'sync_interval'     => array(5, 1440, 15),
			'batch_size'        => array(1, 500, 25),
			'max_attempts'      => array(1, 20, 5),
			'backoff_base'      => array(10, 3600, 60),
			'backoff_max'       => array(60, 604800, 21600),
			'stale_hours'       => array(1, 720, 24),
			'failure_threshold' => array(1, 20, 3)
		);
	}

	public function index() {
		if (!$this->allowed('access')) {
			return $this->deny();
		}

		$this->loadLanguage();

		$this->load->model('extension/mestech/setting');

		if ($this->isPost() && $this->validate()) {
			foreach ($this->fields() as $name => $range) {
				$this->model_extension_mestech_setting->setValue($name, (string)(int)$this->request->post[$name]);
			}

			$this->model_extension_mestech_setting->setValue('price_outlier_factor', (string)round((float)$this->request->post['price_outlier_factor'], 2));
			$this->model_extension_mestech_setting->setValue('order_import', !empty($this->request->post['order_import']) ? '1' : '0');
			$this->model_extension_mestech_setting->setValue('auto_queue', !empty($this->request->post['auto_queue']) ? '1' : '0');
			$this->model_extension_mestech_setting->setValue('order_status_id', (string)(int)$this->request->post['order_status_id']);

			$this->logger()->write('info', 'admin', 'automation_saved', 'Automation settings saved');

			$this->session->data['success'] = $this->language->get('text_success');

			$this->response->redirect($this->link('extension/mestech/automation'));
		}

		foreach ($this->fields() as $name => $range) {
			$data[$name] = isset($this->request->post[$name]) ? $this->request->post[$name] : $this->model_extension_mestech_setting->getValue($name, (string)$range[2]);
			$data['error_' . $name] = isset($this->error[$name]) ? $this->error[$name] : '';
			$data['range_' . $name] = $range[0] . ' - ' . $range[1];
		}

		foreach (array('price_outlier_factor' => '1.5', 'order_import' => '1', 'auto_queue' => '1', 'order_status_id' => (string)$this->config->get('config_order_status_id')) as $name => $default) {
			$data[$name] = isset($this->request->post[$name]) ? $this->request->post[$name] : $this->model_extension_mestech_setting->getValue($name, $default);
		}

		$data['error_price_outlier_factor'] = isset($this->error['price_outlier_factor']) ? $this->error['price_outlier_factor'] : '';
		$data['error_order_status_id'] = isset($this->error['order_status_id']) ? $this->error['order_status_id'] : '';

		$this->load->model('localisation/order_status');

		$data['order_statuses'] = $this->model_localisation_order_status->getOrderStatuses();

		$token = $this->model_extension_mestech_setting->getValue('cron_token', '');
		$base = defined('HTTPS_CATALOG') ? HTTPS_CATALOG : (defined('HTTP_CATALOG') ? HTTP_CATALOG : '');

		$data['cron_token'] = $token;
		$data['cron_url'] = $token !== '' ? $base . 'index.php?route=extension/module/' . \Mestech\Package::CODE . '/cron&token=' . urlencode($token) : '';
		$data['crontab'] = $token !== '' ? '*/' . max(5, (int)$data['sync_interval']) . ' * * * * curl -fsS "' . $data['cron_url'] . '" > /dev/null' : '';

		$data['action'] = $this->link('extension/mestech/automation');
		$data['action_token'] = $this->link('extension/mestech/automation/regenerate');
		$data['last_cron'] = $this->model_extension_mestech_setting->getValue('last_cron', '');

		$this->response->setOutput($this->load->view('extension/mestech/automation', $this->layout($data)));
	}

	/**
	 * POST: a new cron token (the old URL stops working). Not named token(): that would override
	 * AdminController::token() and recurse.
	 */
	public function regenerate() {
		$this->loadLanguage();

		if (!$this->allowed('modify')) {
			$this->session->data['error'] = $this->language->get('error_permission');
		} elseif ($this->isPost()) {
			$this->load->model('extension/mestech/setting');

			$this->model_extension_mestech_setting->setValue('cron_token', bin2hex(random_bytes(16)));

			$this->logger()->write('warning', 'admin', 'cron_token', 'Cron token regenerated');

			$this->session->data['success'] = $this->language->get('text_token_regenerated');
		}

		$this->response->redirect($this->link('extension/mestech/automation'));
	}

	/**
	 * @return bool
	 */
	private function validate() {
		if (!$this->allowed('modify')) {
			$this->error['warning'] = $this->language->get('error_permission');

			return false;
		}

		foreach ($this->fields() as $name => $range) {
			$value = isset($this->request->post[$name]) ? $this->request->post[$name] : '';

			if (!is_string($value) || !ctype_digit($value) || (int)$value < $range[0] || (int)$value > $range[1]) {
				$this->error[$name] = sprintf($this->language->get('error_range'), $range[0], $range[1]);
			}
		}

		if (!isset($this->error['backoff_max']) && !isset($this->error['backoff_base']) && (int)$this->request->post['backoff_max'] < (int)$this->request->post['backoff_base']) {
			$this->error['backoff_max'] = $this->language->get('error_backoff_max');
		}

		$factor = isset($this->request->post['price_outlier_factor']) ? $this->request->post['price_outlier_factor'] : '';

		if (!is_numeric($factor) || (float)$factor < 1.1 || (float)$factor > 10) {
			$this->error['price_outlier_factor'] = sprintf($this->language->get('error_range'), '1.1', '10');
		}

		if (!isset($this->request->post['order_status_id']) || (int)$this->request->post['order_status_id'] <= 0) {
			$this->error['order_status_id'] = $this->language->get('error_order_status');
		}

		if ($this->error && !isset($this->error['warning'])) {
			$this->error['warning'] = $this->language->get('error_form');
		}

		return !$this->error;
	}
}
