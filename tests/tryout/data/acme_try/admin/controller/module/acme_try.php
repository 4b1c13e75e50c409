<?php
namespace Opencart\Admin\Controller\Extension\AcmeTry\Module;
/**
 * Acme Try: a minimal OpenCart 4 module used by ocmod-forge's own tests of `try`.
 * install() creates a table, grants the report page, adds a menu event; uninstall() undoes it.
 */
class AcmeTry extends \Opencart\System\Engine\Controller {
	public function index(): void {
		$this->load->language('extension/acme_try/module/acme_try');

		$this->document->setTitle($this->language->get('heading_title'));

		$data['breadcrumbs'] = [
			['text' => $this->language->get('text_home'), 'href' => $this->url->link('common/dashboard', 'user_token=' . $this->session->data['user_token'])],
			['text' => $this->language->get('heading_title'), 'href' => $this->url->link('extension/acme_try/module/acme_try', 'user_token=' . $this->session->data['user_token'])]
		];

		$data['save'] = $this->url->link('extension/acme_try/module/acme_try.save', 'user_token=' . $this->session->data['user_token']);
		$data['back'] = $this->url->link('marketplace/extension', 'user_token=' . $this->session->data['user_token'] . '&type=module');
		$data['report'] = $this->url->link('extension/acme_try/tool/report', 'user_token=' . $this->session->data['user_token']);

		$data['module_acme_try_status'] = $this->config->get('module_acme_try_status');

		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');

		$this->response->setOutput($this->load->view('extension/acme_try/module/acme_try', $data));
	}

	public function save(): void {
		$this->load->language('extension/acme_try/module/acme_try');

		$json = [];

		if (!$this->user->hasPermission('modify', 'extension/acme_try/module/acme_try')) {
			$json['error'] = $this->language->get('error_permission');
		}

		if (!$json) {
			$this->load->model('setting/setting');
			$this->model_setting_setting->editSetting('module_acme_try', $this->request->post);
			$json['success'] = $this->language->get('text_success');
		}

		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	public function install(): void {
		$this->load->model('extension/acme_try/module/acme_try');
		$this->model_extension_acme_try_module_acme_try->createTable();

		$this->load->model('user/user_group');
		$this->model_user_user_group->addPermission($this->user->getGroupId(), 'access', 'extension/acme_try/tool/report');
		$this->model_user_user_group->addPermission($this->user->getGroupId(), 'modify', 'extension/acme_try/tool/report');

		$this->load->model('setting/event');
		$this->model_setting_event->addEvent([
			'code'        => 'acme_try_menu',
			'description' => 'Acme Try menu entry',
			'trigger'     => 'admin/view/common/column_left/before',
			'action'      => 'extension/acme_try/module/acme_try.menu',
			'status'      => true,
			'sort_order'  => 0
		]);
	}

	public function uninstall(): void {
		$this->load->model('extension/acme_try/module/acme_try');
		$this->model_extension_acme_try_module_acme_try->dropTable();

		$this->load->model('user/user_group');
		$this->model_user_user_group->removePermission($this->user->getGroupId(), 'access', 'extension/acme_try/tool/report');
		$this->model_user_user_group->removePermission($this->user->getGroupId(), 'modify', 'extension/acme_try/tool/report');

		$this->load->model('setting/event');
		$this->model_setting_event->deleteEventByCode('acme_try_menu');
	}

	/** Event admin/view/common/column_left/before: a menu entry for the report page. */
	public function menu(string &$route, array &$args): void {
		if ($this->user->hasPermission('access', 'extension/acme_try/tool/report')) {
			$args['menus'][] = [
				'id'       => 'menu-acme',
				'icon'     => 'fa-solid fa-flask',
				'name'     => 'Acme Try',
				'href'     => $this->url->link('extension/acme_try/tool/report', 'user_token=' . $this->session->data['user_token']),
				'children' => []
			];
		}
	}
}
