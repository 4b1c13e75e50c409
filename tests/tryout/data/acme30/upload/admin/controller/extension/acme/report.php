<?php
/** Acme Try > Report: the rows of the acme_try_log table. */
class ControllerExtensionAcmeReport extends Controller {
	public function index() {
		$this->load->language('extension/acme/report');

		$this->document->setTitle($this->language->get('heading_title'));

		$this->load->model('extension/module/acme_try');

		$data['filter'] = isset($this->request->get['filter']) ? (string)$this->request->get['filter'] : '';

		$data['rows'] = $this->model_extension_module_acme_try->getRows($data['filter']);

		$data['breadcrumbs'] = array(
			array('text' => $this->language->get('text_home'), 'href' => $this->url->link('common/dashboard', 'user_token=' . $this->session->data['user_token'], true)),
			array('text' => $this->language->get('heading_title'), 'href' => $this->url->link('extension/acme/report', 'user_token=' . $this->session->data['user_token'], true))
		);

		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');

		$this->response->setOutput($this->load->view('extension/acme/report', $data));
	}
}
