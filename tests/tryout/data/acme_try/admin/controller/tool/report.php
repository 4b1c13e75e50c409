<?php
namespace Opencart\Admin\Controller\Extension\AcmeTry\Tool;
/** Acme Try > Report: the rows of the acme_try_log table. */
class Report extends \Opencart\System\Engine\Controller {
	public function index(): void {
		$this->load->language('extension/acme_try/tool/report');

		$this->document->setTitle($this->language->get('heading_title'));

		$this->load->model('extension/acme_try/module/acme_try');

		$data['filter'] = (string)($this->request->get['filter'] ?? '');

		$data['rows'] = $this->model_extension_acme_try_module_acme_try->getRows($data['filter']);

		$data['breadcrumbs'] = [
			['text' => $this->language->get('text_home'), 'href' => $this->url->link('common/dashboard', 'user_token=' . $this->session->data['user_token'])],
			['text' => $this->language->get('heading_title'), 'href' => $this->url->link('extension/acme_try/tool/report', 'user_token=' . $this->session->data['user_token'])]
		];

		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');

		$this->response->setOutput($this->load->view('extension/acme_try/tool/report', $data));
	}
}
