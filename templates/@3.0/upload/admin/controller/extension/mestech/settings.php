<?php
/**
 * MesChain Sync > Settings: module status and, per enabled marketplace, status, base URL,
 * timeout and credentials. Credentials are stored encrypted (OpenCart Encryption with the
 * store key config_encryption), shown masked, and kept when a field is left blank.
 */
class ControllerExtensionMestechSettings extends \Mestech\AdminController {
	/** @var string */
	protected $page = 'settings';

	public function index() {
		if (!$this->allowed('access')) {
			return $this->deny();
		}

		$this->loadLanguage();

		$this->document->addScript('view/javascript/mestech/meschain.js');

		$this->load->model('extension/mestech/setting');

		$store = new \Mestech\Settings($this->db, (string)$this->config->get('config_encryption'));

		if ($this->isPost() && $this->validate($store)) {
			$this->model_extension_mestech_setting->setValue('status', !empty($this->request->post['module_status']) ? '1' : '0');

			foreach (\Mestech\Package::marketplaces() as $code => $marketplace) {
				$store->set($code, 'general', 'status', !empty($this->request->post['status'][$code]) ? '1' : '0');
				$store->set($code, 'general', 'base_url', trim((string)$this->request->post['base_url'][$code]));
				$store->set($code, 'general', 'timeout', (string)(int)$this->request->post['timeout'][$code]);

				$values = array();

				foreach ($marketplace['credentials'] as $key) {
					$values[$key] = isset($this->request->post['credentials'][$code][$key]) && is_string($this->request->post['credentials'][$code][$key]) ? $this->request->post['credentials'][$code][$key] : '';

					if (!empty($this->request->post['clear'][$code][$key])) {
						$store->clearCredential($code, $key);
					}
				}

				$store->saveCredentials($code, $values);
			}

			$this->logger()->write('info', 'admin', 'settings_saved', 'Marketplace settings saved');

			$this->session->data['success'] = $this->language->get('text_success');

			$this->response->redirect($this->link('extension/mestech/settings'));
		}

		$data['module_status'] = isset($this->request->post['module_status']) ? (int)$this->request->post['module_status'] : (int)$this->config->get(\Mestech\Package::SETTING_CODE . '_status');
		$data['can_encrypt'] = $store->canEncrypt();
		$data['unavailable'] = array_values(\Mestech\Package::unavailable());

		$data['marketplaces'] = array();

		foreach (\Mestech\Package::marketplaces() as $code => $marketplace) {
			$masked = $store->maskedCredentials($code);

			$fields = array();

			foreach ($marketplace['credentials'] as $key) {
				$fields[] = array(
					'key'    => $key,
					'label'  => $this->language->get('entry_credential_' . $key),
					'masked' => isset($masked[$key]) ? $masked[$key] : '',
					'secret' => (bool)preg_match('/secret|password|pass|token|key/', $key),
					'error'  => isset($this->error['credential'][$code][$key]) ? $this->error['credential'][$code][$key] : ''
				);
			}

			$data['marketplaces'][] = array(
				'code'          => $code,
				'label'         => $marketplace['label'],
				'notice'        => $marketplace['notice'],
				'status'        => isset($this->request->post['status'][$code]) ? (int)$this->request->post['status'][$code] : (int)$store->get($code, 'general', 'status', '0'),
				'base_url'      => isset($this->request->post['base_url'][$code]) ? (string)$this->request->post['base_url'][$code] : $store->get($code, 'general', 'base_url', $marketplace['base_url']),
				'default_url'   => $marketplace['base_url'],
				'timeout'       => isset($this->request->post['timeout'][$code]) ? (string)$this->request->post['timeout'][$code] : $store->get($code, 'general', 'timeout', '30'),
				'fields'        => $fields,
				'error_base_url' => isset($this->error['base_url'][$code]) ? $this->error['base_url'][$code] : '',
				'error_timeout' => isset($this->error['timeout'][$code]) ? $this->error['timeout'][$code] : '',
				'test'          => $this->link('extension/mestech/settings/test', 'marketplace=' . $code)
			);
		}

		$data['action'] = $this->link('extension/mestech/settings');

		$this->response->setOutput($this->load->view('extension/mestech/settings', $this->layout($data)));
	}

	/**
	 * POST (JSON) ?marketplace=code: test the stored credentials.
	 */
	public function test() {
		$this->loadLanguage();

		$json = array();
		$code = $this->marketplaceCode($this->get('marketplace'));

		if (!$this->allowed('modify')) {
			$json['error'] = $this->language->get('error_permission');
		} elseif (!$this->isPost() || $code === '') {
			$json['error'] = $this->language->get('error_marketplace');
		} else {
			$result = $this->worker()->testConnection($code);

			if ($result['ok']) {
				$json['success'] = sprintf($this->language->get('text_connection_ok'), $result['message']);
			} else {
				$json['error'] = sprintf($this->language->get('error_connection'), $result['message']);
			}
		}

		$this->json($json);
	}

	/**
	 * @param \Mestech\Settings $store
	 * @return bool
	 */
	private function validate(\Mestech\Settings $store) {
		if (!$this->allowed('modify')) {
			$this->error['warning'] = $this->language->get('error_permission');

			return false;
		}

		$post = $this->request->post;
		$has_credentials = false;

		foreach (\Mestech\Package::marketplaces() as $code => $marketplace) {
			$url = isset($post['base_url'][$code]) && is_string($post['base_url'][$code]) ? trim($post['base_url'][$code]) : '';

			if ($url === '' || !filter_var($url, FILTER_VALIDATE_URL) || strtolower((string)parse_url($url, PHP_URL_SCHEME)) !== 'https') {
				$this->error['base_url'][$code] = $this->language->get('error_base_url');
			}

			$timeout = isset($post['timeout'][$code]) && is_string($post['timeout'][$code]) ? $post['timeout'][$code] : '';

			if (!ctype_digit($timeout) || (int)$timeout < 5 || (int)$timeout > 120) {
				$this->error['timeout'][$code] = $this->language->get('error_timeout');
			}

			foreach ($marketplace['credentials'] as $key) {
				$value = isset($post['credentials'][$code][$key]) ? $post['credentials'][$code][$key] : '';

				if (!is_string($value) || utf8_strlen($value) > 4096) {
					$this->error['credential'][$code][$key] = $this->language->get('error_credential');
				} elseif (trim($value) !== '') {
					$has_credentials = true;
				}
			}
		}

		if ($has_credentials && !$store->canEncrypt()) {
			$this->error['warning'] = $this->language->get('error_encryption');
		}

		if ($this->error && !isset($this->error['warning'])) {
			$this->error['warning'] = $this->language->get('error_form');
		}

		return !$this->error;
	}
}
