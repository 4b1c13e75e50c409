<?php
/**
 * MesChain Sync > Marketplace Manager: product sync queue per marketplace, bulk enqueue,
 * retry, "run sync now", imported orders with tracking numbers.
 */
class ControllerExtensionMestechMarketplace extends \Mestech\AdminController {
	/** @var string */
	protected $page = 'marketplace';

	/** Queue states that can be filtered. */
	const STATUSES = array('pending', 'syncing', 'synced', 'error', 'disabled');

	public function index() {
		if (!$this->allowed('access')) {
			return $this->deny();
		}

		$this->loadLanguage();

		$this->document->addScript('view/javascript/mestech/meschain.js');

		$this->load->model('extension/mestech/sync');

		$filter_marketplace = $this->marketplaceCode($this->get('filter_marketplace'));
		$filter_status = in_array($this->get('filter_status'), self::STATUSES, true) ? $this->get('filter_status') : '';
		$filter_name = is_string($this->get('filter_name')) ? trim($this->get('filter_name')) : '';
		$page = max(1, (int)$this->get('page', 1));
		$limit = (int)$this->config->get('config_limit_admin') > 0 ? (int)$this->config->get('config_limit_admin') : 20;

		$filter = array(
			'marketplace' => $filter_marketplace,
			'status'      => $filter_status,
			'name'        => $filter_name,
			'start'       => ($page - 1) * $limit,
			'limit'       => $limit
		);

		$labels = $this->marketplaceLabels();
		$format = $this->language->get('datetime_format');

		$data['items'] = array();

		foreach ($this->model_extension_mestech_sync->getQueue($filter) as $row) {
			$data['items'][] = array(
				'sync_id'       => (int)$row['sync_id'],
				'product_id'    => (int)$row['product_id'],
				'name'          => $row['name'] !== null ? $row['name'] : '#' . (int)$row['product_id'],
				'model'         => (string)$row['model'],
				'marketplace'   => isset($labels[$row['marketplace']]) ? $labels[$row['marketplace']] : $row['marketplace'],
				'status'        => $row['sync_status'],
				'status_text'   => $this->language->get('text_status_' . $row['sync_status']),
				'sku'           => (string)$row['marketplace_sku'],
				'remote_id'     => (string)$row['marketplace_product_id'],
				'attempts'      => (int)$row['sync_attempts'] . '/' . (int)$row['max_attempts'],
				'last_sync'     => $row['last_sync'] ? date($format, strtotime($row['last_sync'])) : '',
				'next_sync'     => $row['next_sync'] ? date($format, strtotime($row['next_sync'])) : '',
				'error'         => (string)$row['error_message'],
				'edit'          => $this->link('catalog/product/edit', 'product_id=' . (int)$row['product_id'])
			);
		}

		$total = $this->model_extension_mestech_sync->getQueueTotal($filter);

		$url = '';

		if ($filter_marketplace !== '') {
			$url .= '&filter_marketplace=' . urlencode($filter_marketplace);
		}

		if ($filter_status !== '') {
			$url .= '&filter_status=' . urlencode($filter_status);
		}

		if ($filter_name !== '') {
			$url .= '&filter_name=' . urlencode(html_entity_decode($filter_name, ENT_QUOTES, 'UTF-8'));
		}

		$pagination = new Pagination();
		$pagination->total = $total;
		$pagination->page = $page;
		$pagination->limit = $limit;
		$pagination->url = $this->link('extension/mestech/marketplace', ltrim($url . '&page={page}', '&'));

		$data['pagination'] = $pagination->render();
		$data['results'] = sprintf($this->language->get('text_pagination'), ($total) ? (($page - 1) * $limit) + 1 : 0, ((($page - 1) * $limit) > ($total - $limit)) ? $total : ((($page - 1) * $limit) + $limit), $total, ceil($total / $limit));

		$data['filter_marketplace'] = $filter_marketplace;
		$data['filter_status'] = $filter_status;
		$data['filter_name'] = $filter_name;

		$data['marketplaces'] = array();

		foreach ($this->model_extension_mestech_sync->getMarketplaceStats() as $code => $stat) {
			$data['marketplaces'][] = $stat;
		}

		$data['statuses'] = array();

		foreach (self::STATUSES as $status) {
			$data['statuses'][] = array('value' => $status, 'text' => $this->language->get('text_status_' . $status));
		}

		$data['orders'] = array();

		foreach ($this->model_extension_mestech_sync->getOrderIntegrations(array('marketplace' => $filter_marketplace, 'start' => 0, 'limit' => 10)) as $row) {
			$data['orders'][] = array(
				'integration_id'       => (int)$row['integration_id'],
				'order_id'             => (int)$row['order_id'],
				'marketplace'          => isset($labels[$row['marketplace']]) ? $labels[$row['marketplace']] : $row['marketplace'],
				'marketplace_order_id' => (string)$row['marketplace_order_id'],
				'status'               => $row['integration_status'],
				'carrier'              => (string)$row['carrier'],
				'tracking_number'      => (string)$row['tracking_number'],
				'tracking_pushed'      => (int)$row['tracking_pushed'],
				'error'                => (string)$row['error_message'],
				'date_added'           => date($format, strtotime($row['date_added'])),
				'href'                 => $row['order_id'] ? $this->link('sale/order/info', 'order_id=' . (int)$row['order_id']) : ''
			);
		}

		$data['action_filter'] = $this->link('extension/mestech/marketplace');
		$data['action_enqueue'] = $this->link('extension/mestech/marketplace/enqueue');
		$data['action_retry'] = $this->link('extension/mestech/marketplace/retry');
		$data['action_delete'] = $this->link('extension/mestech/marketplace/delete', ltrim($url, '&'));
		$data['action_run'] = $this->link('extension/mestech/marketplace/runSync');
		$data['action_tracking'] = $this->link('extension/mestech/marketplace/tracking');

		$this->response->setOutput($this->load->view('extension/mestech/marketplace', $this->layout($data)));
	}

	/**
	 * POST marketplace, scope (all|selected), product_ids[]: queue products.
	 */
	public function enqueue() {
		$this->loadLanguage();

		$marketplace = $this->marketplaceCode($this->post('marketplace'));

		if (!$this->allowed('modify')) {
			$this->session->data['error'] = $this->language->get('error_permission');
		} elseif (!$this->isPost() || $marketplace === '') {
			$this->session->data['error'] = $this->language->get('error_marketplace');
		} else {
			$worker = $this->worker();

			if ($this->post('scope') === 'all') {
				$count = $worker->enqueueAll($marketplace);
			} else {
				$ids = preg_split('/[\s,]+/', is_string($this->post('product_ids')) ? $this->post('product_ids') : '', -1, PREG_SPLIT_NO_EMPTY);
				$count = 0;

				foreach ($ids as $id) {
					if ((int)$id > 0) {
						$count += $worker->enqueue((int)$id, array($marketplace));
					}
				}
			}

			if ($count) {
				$this->session->data['success'] = sprintf($this->language->get('text_enqueued'), $count);
			} else {
				$this->session->data['error'] = $this->language->get('error_nothing_queued');
			}
		}

		$this->response->redirect($this->link('extension/mestech/marketplace', 'filter_marketplace=' . $marketplace));
	}

	/**
	 * POST marketplace: failed items back to pending.
	 */
	public function retry() {
		$this->loadLanguage();

		$marketplace = $this->marketplaceCode($this->post('marketplace'));

		if (!$this->allowed('modify')) {
			$this->session->data['error'] = $this->language->get('error_permission');
		} elseif (!$this->isPost() || $marketplace === '') {
			$this->session->data['error'] = $this->language->get('error_marketplace');
		} else {
			$this->load->model('extension/mestech/sync');

			$this->session->data['success'] = sprintf($this->language->get('text_retried'), $this->model_extension_mestech_sync->retryFailed($marketplace));
		}

		$this->response->redirect($this->link('extension/mestech/marketplace', 'filter_marketplace=' . $marketplace));
	}

	/**
	 * POST selected[]: remove queue items.
	 */
	public function delete() {
		$this->loadLanguage();

		$selected = $this->post('selected', array());

		if (!$this->allowed('modify')) {
			$this->session->data['error'] = $this->language->get('error_permission');
		} elseif (!$this->isPost() || !is_array($selected) || !$selected) {
			$this->session->data['error'] = $this->language->get('error_selection');
		} else {
			$this->load->model('extension/mestech/sync');

			$this->session->data['success'] = sprintf($this->language->get('text_deleted'), $this->model_extension_mestech_sync->deleteItems($selected));
		}

		$url = '';

		foreach (array('filter_marketplace', 'filter_status', 'filter_name') as $key) {
			if (isset($this->request->get[$key]) && is_string($this->request->get[$key])) {
				$url .= '&' . $key . '=' . urlencode($this->request->get[$key]);
			}
		}

		$this->response->redirect($this->link('extension/mestech/marketplace', ltrim($url, '&')));
	}

	/**
	 * POST (JSON) marketplace optional: run the worker now.
	 */
	public function runSync() {
		$this->loadLanguage();

		$json = array();

		if (!$this->allowed('modify')) {
			$json['error'] = $this->language->get('error_permission');
		} elseif (!$this->isPost()) {
			$json['error'] = $this->language->get('error_method');
		} else {
			$only = $this->marketplaceCode($this->post('marketplace'));

			try {
				$summary = $this->worker()->run($only);
			} catch (\Exception $e) {
				$summary = null;
				$json['error'] = $e->getMessage();
			}

			if ($summary !== null) {
				if (!$summary) {
					$json['error'] = $this->language->get('error_no_active');
				} else {
					$lines = array();
					$labels = $this->marketplaceLabels();

					foreach ($summary as $code => $result) {
						$lines[] = sprintf($this->language->get('text_run_line'), $labels[$code], $result['products']['synced'], $result['products']['failed'], $result['orders']['imported'], $result['shipments']['pushed']);
					}

					$json['success'] = $this->language->get('text_run_done') . ' ' . implode(' ', $lines);
					$json['summary'] = $summary;
				}
			}
		}

		$this->json($json);
	}

	/**
	 * POST (JSON) from the product form tab: queue one product and send it now.
	 */
	public function syncProduct() {
		$this->loadLanguage();

		$json = array();
		$product_id = (int)$this->get('product_id', 0);

		if (!$this->allowed('modify')) {
			$json['error'] = $this->language->get('error_permission');
		} elseif (!$this->isPost() || $product_id <= 0) {
			$json['error'] = $this->language->get('error_product');
		} else {
			$worker = $this->worker();
			$active = $worker->activeMarketplaces();

			if (!$active) {
				$json['error'] = $this->language->get('error_no_active');
			} else {
				$worker->enqueue($product_id, $active, 9);

				$synced = 0;
				$failed = 0;

				foreach ($active as $code) {
					$result = $worker->processQueue($code, 1, $product_id);
					$synced += $result['synced'];
					$failed += $result['failed'];
				}

				if ($failed) {
					$json['error'] = sprintf($this->language->get('text_product_result'), $synced, $failed);
				} else {
					$json['success'] = sprintf($this->language->get('text_product_result'), $synced, $failed);
				}
			}
		}

		$this->json($json);
	}

	/**
	 * POST (JSON) integration_id, carrier, tracking_number: store tracking for the worker.
	 */
	public function tracking() {
		$this->loadLanguage();

		$json = array();

		$integration_id = (int)$this->post('integration_id', 0);
		$carrier = is_string($this->post('carrier')) ? trim($this->post('carrier')) : '';
		$tracking = is_string($this->post('tracking_number')) ? trim($this->post('tracking_number')) : '';

		if (!$this->allowed('modify')) {
			$json['error'] = $this->language->get('error_permission');
		} elseif (!$this->isPost() || $integration_id <= 0) {
			$json['error'] = $this->language->get('error_method');
		} elseif (utf8_strlen($carrier) < 2 || utf8_strlen($carrier) > 128) {
			$json['error'] = $this->language->get('error_carrier');
		} elseif (utf8_strlen($tracking) < 3 || utf8_strlen($tracking) > 191) {
			$json['error'] = $this->language->get('error_tracking');
		} else {
			$this->load->model('extension/mestech/sync');

			if ($this->model_extension_mestech_sync->saveTracking($integration_id, $carrier, $tracking)) {
				$json['success'] = $this->language->get('text_tracking_saved');
			} else {
				$json['error'] = $this->language->get('error_order');
			}
		}

		$this->json($json);
	}
}
