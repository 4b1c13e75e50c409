<?php
/**
 * Base class of the admin pages under extension/mestech/.
 *
 * OpenCart 3.0 gates every extension/mestech/* request by the "extension/mestech"
 * permission (first two route segments); the pages additionally accept the page route
 * extension/mestech/<page>, which is what the User Groups screen lists.
 */
namespace Mestech;

abstract class AdminController extends \Controller {
	/** @var string page name, e.g. "dashboard" */
	protected $page = '';
	/** @var array validation errors: field => message, 'warning' => message */
	protected $error = array();

	/**
	 * @param string $type access|modify
	 * @return bool
	 */
	protected function allowed($type) {
		return $this->user->hasPermission($type, 'extension/mestech/' . $this->page) || $this->user->hasPermission($type, 'extension/mestech');
	}

	/**
	 * @return string
	 */
	protected function token() {
		return isset($this->session->data['user_token']) ? (string)$this->session->data['user_token'] : '';
	}

	/**
	 * Admin URL with the user token.
	 *
	 * @param string $route
	 * @param string $args
	 * @return string
	 */
	protected function link($route, $args = '') {
		return $this->url->link($route, 'user_token=' . $this->token() . ($args !== '' ? '&' . $args : ''), true);
	}

	/**
	 * Shows OpenCart's permission page; returns false so callers can `return $this->deny();`.
	 *
	 * @return bool
	 */
	protected function deny() {
		$this->load->controller('error/permission');

		return false;
	}

	/**
	 * Language files of every page: common strings first, then the page's own.
	 */
	protected function loadLanguage() {
		$this->load->language('extension/mestech/common');
		$this->load->language('extension/mestech/' . $this->page);
	}

	/**
	 * Data shared by every page: title, breadcrumbs, alerts, layout parts.
	 *
	 * @param array $data
	 * @return array
	 */
	protected function layout(array $data) {
		$title = $this->language->get('heading_title');

		$this->document->setTitle($title);

		$data['heading_title'] = $title;
		$data['user_token'] = $this->token();

		$data['breadcrumbs'] = array(
			array('text' => $this->language->get('text_home'), 'href' => $this->link('common/dashboard')),
			array('text' => $this->language->get('text_meschain'), 'href' => $this->link('extension/mestech/dashboard')),
			array('text' => $title, 'href' => $this->link('extension/mestech/' . $this->page))
		);

		if (isset($this->error['warning'])) {
			$data['error_warning'] = $this->error['warning'];
		} elseif (isset($this->session->data['error'])) {
			$data['error_warning'] = $this->session->data['error'];

			unset($this->session->data['error']);
		} else {
			$data['error_warning'] = '';
		}

		if (isset($this->session->data['success'])) {
			$data['success'] = $this->session->data['success'];

			unset($this->session->data['success']);
		} else {
			$data['success'] = '';
		}

		$data['can_modify'] = $this->allowed('modify');
		$data['package_name'] = Package::NAME;
		$data['package_version'] = Package::VERSION;

		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');

		return $data;
	}

	/**
	 * @param array $json
	 */
	protected function json(array $json) {
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	/**
	 * @return bool true for POST requests
	 */
	protected function isPost() {
		return isset($this->request->server['REQUEST_METHOD']) && $this->request->server['REQUEST_METHOD'] === 'POST';
	}

	/**
	 * @param string $key
	 * @param mixed $default
	 * @return mixed
	 */
	protected function post($key, $default = '') {
		return isset($this->request->post[$key]) ? $this->request->post[$key] : $default;
	}

	/**
	 * @param string $key
	 * @param mixed $default
	 * @return mixed
	 */
	protected function get($key, $default = '') {
		return isset($this->request->get[$key]) ? $this->request->get[$key] : $default;
	}

	/**
	 * A marketplace code from the request, or '' when it is not an enabled one.
	 *
	 * @param mixed $value
	 * @return string
	 */
	protected function marketplaceCode($value) {
		return (is_string($value) && Package::hasMarketplace($value)) ? $value : '';
	}

	/**
	 * The shared sync worker.
	 *
	 * @return Worker
	 */
	protected function worker() {
		if (defined('HTTPS_CATALOG') && HTTPS_CATALOG) {
			$image_base = HTTPS_CATALOG . 'image/';
		} elseif (defined('HTTP_CATALOG')) {
			$image_base = HTTP_CATALOG . 'image/';
		} else {
			$image_base = '';
		}

		return new Worker($this->db, $this->config, array(
			'image_base' => $image_base,
			'user_id'    => (int)$this->user->getId()
		));
	}

	/**
	 * @return Log
	 */
	protected function logger() {
		return new Log($this->db, (int)$this->user->getId());
	}

	/**
	 * Marketplace labels for views: code => label.
	 *
	 * @return array
	 */
	protected function marketplaceLabels() {
		$labels = array();

		foreach (Package::marketplaces() as $code => $marketplace) {
			$labels[$code] = $marketplace['label'];
		}

		return $labels;
	}
}
