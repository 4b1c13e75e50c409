<?php
/**
 * Acme Try: a minimal OpenCart 3.0 module used by ocmod-forge's own tests of `try`.
 * install() creates a table, grants the report page, adds a menu event; uninstall() undoes it.
 */
class ControllerExtensionModuleAcmeTry extends Controller {
	private $error = array();

	public function index() {
		$this->load->language('extension/module/acme_try');

		$this->document->setTitle($this->language->get('heading_title'));

		$this->load->model('setting/setting');

		if (($this->request->server['REQUEST_METHOD'] == 'POST') && $this->validate()) {
			$this->model_setting_setting->editSetting('module_acme_try', $this->request->post);

			$this->session->data['success'] = $this->language->get('text_success');

			$this->response->redirect($this->url->link('marketplace/extension', 'user_token=' . $this->session->data['user_token'] . '&type=module', true));
		}

		$data['error_warning'] = isset($this->error['warning']) ? $this->error['warning'] : '';

		$data['breadcrumbs'] = array(
			array('text' => $this->language->get('text_home'), 'href' => $this->url->link('common/dashboard', 'user_token=' . $this->session->data['user_token'], true)),
			array('text' => $this->language->get('heading_title'), 'href' => $this->url->link('extension/module/acme_try', 'user_token=' . $this->session->data['user_token'], true))
		);

		$data['action'] = $this->url->link('extension/module/acme_try', 'user_token=' . $this->session->data['user_token'], true);
		$data['cancel'] = $this->url->link('marketplace/extension', 'user_token=' . $this->session->data['user_token'] . '&type=module', true);
		$data['report'] = $this->url->link('extension/acme/report', 'user_token=' . $this->session->data['user_token'], true);

		if (isset($this->request->post['module_acme_try_status'])) {
			$data['module_acme_try_status'] = $this->request->post['module_acme_try_status'];
		} else {
			$data['module_acme_try_status'] = $this->config->get('module_acme_try_status');
		}

		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');

		$this->response->setOutput($this->load->view('extension/module/acme_try', $data));
	}

	public function install() {
		$this->load->model('extension/module/acme_try');
		$this->model_extension_module_acme_try->createTable();

		$this->load->model('user/user_group');
		$this->model_user_user_group->addPermission($this->user->getGroupId(), 'access', 'extension/acme');
		$this->model_user_user_group->addPermission($this->user->getGroupId(), 'modify', 'extension/acme');

		$this->load->model('setting/event');
		$this->model_setting_event->addEvent('acme_try_menu', 'admin/view/common/column_left/before', 'extension/module/acme_try/menu');
	}

	public function uninstall() {
		$this->load->model('extension/module/acme_try');
		$this->model_extension_module_acme_try->dropTable();

		$this->load->model('user/user_group');
		$this->model_user_user_group->removePermission($this->user->getGroupId(), 'access', 'extension/acme');
		$this->model_user_user_group->removePermission($this->user->getGroupId(), 'modify', 'extension/acme');

		$this->load->model('setting/event');
		$this->model_setting_event->deleteEventByCode('acme_try_menu');
	}

	/** Event admin/view/common/column_left/before: a menu entry for the report page. */
	public function menu(&$route, &$data, &$code) {
		if ($this->user->hasPermission('access', 'extension/acme')) {
			$data['menus'][] = array(
				'id'       => 'menu-acme',
				'icon'     => 'fa-flask',
				'name'     => 'Acme Try',
				'href'     => $this->url->link('extension/acme/report', 'user_token=' . $this->session->data['user_token'], true),
				'children' => array()
			);
		}
	}

	protected function validate() {
		if (!$this->user->hasPermission('modify', 'extension/module/acme_try')) {
			$this->error['warning'] = $this->language->get('error_permission');
		}

		return !$this->error;
	}
}
