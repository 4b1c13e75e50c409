<?php
/**
 * MesChain Sync > AI Tools: price suggestions from stated rules over the store's own data
 * (category median, slow movers, demand above stock). No machine learning is involved.
 */
class ControllerExtensionMestechAiTools extends \Mestech\AdminController {
	/** @var string */
	protected $page = 'ai_tools';

	public function index() {
		if (!$this->allowed('access')) {
			return $this->deny();
		}

		$this->loadLanguage();

		$this->load->model('extension/mestech/insight');

		$data['suggestions'] = array();

		foreach ($this->model_extension_mestech_insight->priceSuggestions(50) as $row) {
			$info = $row['data'];

			switch ($row['rule']) {
				case 'category_median':
					$reason = sprintf($this->language->get('text_reason_category_median'), $info['ratio'], $info['peers'], $info['category']);
					break;
				case 'slow_mover':
					$reason = sprintf($this->language->get('text_reason_slow_mover'), $info['quantity'], $info['days']);
					break;
				default:
					$reason = sprintf($this->language->get('text_reason_low_stock_demand'), $info['sold'], $info['days'], $info['quantity']);
			}

			$data['suggestions'][] = array(
				'product_id' => $row['product_id'],
				'name'       => $row['name'] !== '' ? $row['name'] : '#' . $row['product_id'],
				'price'      => $this->currency->format($row['price'], $this->config->get('config_currency')),
				'suggested'  => $this->currency->format($row['suggested'], $this->config->get('config_currency')),
				'value'      => $row['suggested'],
				'rule'       => $this->language->get('text_rule_' . $row['rule']),
				'reason'     => $reason,
				'edit'       => $this->link('catalog/product/edit', 'product_id=' . (int)$row['product_id'])
			);
		}

		$data['factor'] = (float)$this->config->get(\Mestech\Package::SETTING_CODE . '_price_outlier_factor');
		$data['action_apply'] = $this->link('extension/mestech/ai_tools/apply');

		$this->response->setOutput($this->load->view('extension/mestech/ai_tools', $this->layout($data)));
	}

	/**
	 * POST product_id, price: apply a suggested price and queue the product.
	 */
	public function apply() {
		$this->loadLanguage();

		$product_id = (int)$this->post('product_id', 0);
		$price = $this->post('price', '');

		if (!$this->allowed('modify')) {
			$this->session->data['error'] = $this->language->get('error_permission');
		} elseif (!$this->isPost() || $product_id <= 0) {
			$this->session->data['error'] = $this->language->get('error_product');
		} elseif (!is_numeric($price) || (float)$price <= 0) {
			$this->session->data['error'] = $this->language->get('error_price');
		} else {
			$this->load->model('extension/mestech/insight');

			if ($this->model_extension_mestech_insight->applyPrice($product_id, (float)$price)) {
				$this->worker()->enqueue($product_id);

				$this->logger()->write('info', 'admin', 'price_applied', 'Rule-based price applied', array('price' => (float)$price), '', 'product', $product_id);

				$this->session->data['success'] = $this->language->get('text_applied');
			} else {
				$this->session->data['error'] = $this->language->get('error_product');
			}
		}

		$this->response->redirect($this->link('extension/mestech/ai_tools'));
	}
}
