<?php
/**
 * Route "extension/mestech": OpenCart 3.0 checks the permission of the first two route
 * segments for every page under extension/mestech/, so this file makes that permission
 * visible (and keepable) in System > Users > User Groups. It opens the dashboard.
 */
class ControllerExtensionMestech extends Controller {
	public function index() {
		$token = isset($this->session->data['user_token']) ? $this->session->data['user_token'] : '';

		$this->response->redirect($this->url->link('extension/mestech/dashboard', 'user_token=' . $token, true));
	}
}
