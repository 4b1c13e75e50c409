<?php
/** Route "extension/acme": makes the permission of the pages under extension/acme/ grantable. */
class ControllerExtensionAcme extends Controller {
	public function index() {
		$this->response->redirect($this->url->link('extension/acme/report', 'user_token=' . $this->session->data['user_token'], true));
	}
}
