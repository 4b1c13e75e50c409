<?php
/**
 * MesChain-Sync Enterprise 3.1.1 - Trendyol client.
 * Generated from templates/_partials/api/trendyol.php.j2; do not edit the rendered file.
 */
namespace Mestech\Api;

/**
 * Trendyol Marketplace integration API (apigw.trendyol.com).
 *
 * Documentation (Trendyol Developers, https://developers.trendyol.com/):
 *  - Authorization: HTTP Basic with API key / API secret, header "User-Agent: <sellerId> - SelfIntegration"
 *    ("2. Authorization", https://developers.trendyol.com/docs/2-authorization).
 *  - Product V2 endpoints ("Product V2 - API Endpoint", https://developers.trendyol.com/v2.0/docs/product-v2-api-endpoint):
 *    POST /integration/product/sellers/{sellerId}/v2/products (createProducts, asynchronous: batchRequestId),
 *    POST /integration/inventory/sellers/{sellerId}/products/price-and-inventory (updatePriceAndInventory).
 *  - Orders: GET /integration/order/sellers/{sellerId}/orders (getShipmentPackages),
 *    PUT /integration/order/sellers/{sellerId}/shipment-packages/{packageId}/update-tracking-number
 *    ("Update Shipping Code", https://developers.trendyol.com/v2.0/docs/update-shipping-code-updatetrackingnumber).
 *  - Connection test: GET /integration/sellers/{sellerId}/addresses (getSuppliersAddresses).
 * Trendyol identifies a variant by its barcode: the SKU this client returns for a product is its barcode.
 * The marketplace_order_id of a normalized order is the shipment package id (what the tracking
 * number update needs); order_number is Trendyol's order number.
 */
class Trendyol extends BaseClient
{
    const MAX_ORDER_PAGES = 20;
    const ORDER_WINDOW = 1209600; // the orders service accepts at most two weeks per request

    public function getCode(): string
    {
        return 'trendyol';
    }

    protected function defaultBaseUrl(): string
    {
        return 'https://apigw.trendyol.com';
    }

    public function testConnection(): array
    {
        try {
            $data = $this->call('GET', '/integration/sellers/' . $this->sellerId('testConnection') . '/addresses', null, 'testConnection');
        } catch (ApiException $e) {
            return array('ok' => false, 'message' => $e->getMessage());
        }
        $count = count($this->get($data, 'supplierAddresses', array()));
        return array('ok' => true, 'message' => 'Connected to Trendyol (' . $count . ' seller addresses)');
    }

    public function upsertProduct(array $product): array
    {
        $action = 'upsertProduct';
        $payload = array('items' => array($this->buildProductItem($product)));
        $data = $this->call('POST', '/integration/product/sellers/' . $this->sellerId($action) . '/v2/products', $payload, $action);
        $barcode = $payload['items'][0]['barcode'];
        return array(
            'marketplace_product_id' => $barcode,
            'sku' => $barcode,
            'status' => 'pending',
            'raw' => $data,
        );
    }

    /** One item of createProducts v2. Trendyol brand and category ids come from the product attributes. */
    public function buildProductItem(array $product): array
    {
        $action = 'upsertProduct';
        $sku = $this->productSku($product, $action);
        $barcode = $this->productField($product, 'barcode') !== '' ? $this->productField($product, 'barcode') : $sku;
        $brandId = $this->productAttribute($product, 'trendyol_brand_id', $this->productAttribute($product, 'brand_id'));
        $categoryId = $this->productAttribute($product, 'trendyol_category_id', $this->productAttribute($product, 'category_id', $this->productField($product, 'category')));
        if (!(bool) preg_match('/^\d+$/', $brandId) || !(bool) preg_match('/^\d+$/', $categoryId)) {
            throw $this->fail($action, 'Trendyol needs numeric brand and category ids (product attributes trendyol_brand_id, trendyol_category_id)');
        }
        $price = round(isset($product['price']) ? (float) $product['price'] : 0.0, 2);
        $images = array();
        foreach (array_slice($this->productImages($product), 0, 8) as $url) {
            $images[] = array('url' => $url);
        }
        $attributes = array();
        if (isset($product['attributes']['trendyol_attributes']) && is_array($product['attributes']['trendyol_attributes'])) {
            $attributes = array_values($product['attributes']['trendyol_attributes']);
        }
        return array(
            'barcode' => $barcode,
            'title' => mb_substr($this->productField($product, 'name'), 0, 100),
            'productMainId' => $this->productField($product, 'model') !== '' ? $this->productField($product, 'model') : $sku,
            'brandId' => (int) $brandId,
            'categoryId' => (int) $categoryId,
            'quantity' => max(0, isset($product['quantity']) ? (int) $product['quantity'] : 0),
            'stockCode' => $sku,
            'dimensionalWeight' => (float) $this->productAttribute($product, 'dimensional_weight', '1'),
            'description' => $this->productField($product, 'description'),
            'currencyType' => 'TRY',
            'listPrice' => $price,
            'salePrice' => $price,
            'vatRate' => (int) $this->productAttribute($product, 'vat_rate', '20'),
            'cargoCompanyId' => (int) $this->productAttribute($product, 'cargo_company_id', $this->setting('cargo_company_id', '0')),
            'images' => $images,
            'attributes' => $attributes,
        );
    }

    public function updateStockPrice(string $sku, int $quantity, float $price): array
    {
        $action = 'updateStockPrice';
        $payload = array('items' => array(array(
            'barcode' => $sku,
            'quantity' => max(0, $quantity),
            'salePrice' => round($price, 2),
            'listPrice' => round($price, 2),
        )));
        $data = $this->call('POST', '/integration/inventory/sellers/' . $this->sellerId($action) . '/products/price-and-inventory', $payload, $action);
        return array('sku' => $sku, 'status' => 'pending', 'raw' => $data);
    }

    public function fetchOrders(string $sinceIso8601): array
    {
        $action = 'fetchOrders';
        $start = $this->parseSince($sinceIso8601, $action);
        $now = time();
        $orders = array();
        $seller = $this->sellerId($action);
        for ($from = $start; $from < $now; $from += self::ORDER_WINDOW) {
            $to = min($now, $from + self::ORDER_WINDOW);
            for ($page = 0; $page < self::MAX_ORDER_PAGES; $page++) {
                $query = http_build_query(array(
                    'startDate' => $from * 1000,
                    'endDate' => $to * 1000,
                    'page' => $page,
                    'size' => 200,
                    'orderByField' => 'PackageLastModifiedDate',
                    'orderByDirection' => 'ASC',
                ));
                $data = $this->call('GET', '/integration/order/sellers/' . $seller . '/orders?' . $query, null, $action);
                foreach ($this->get($data, 'content', array()) as $package) {
                    $orders[] = $this->mapOrder($package);
                }
                if ($page + 1 >= (int) $this->get($data, 'totalPages', 0)) {
                    break;
                }
            }
        }
        return $orders;
    }

    /** Normalized order from one shipment package of getShipmentPackages. */
    public function mapOrder(array $package): array
    {
        $address = $this->get($package, 'shipmentAddress', array());
        $lines = array();
        foreach ($this->get($package, 'lines', array()) as $line) {
            $lines[] = array(
                'sku' => $this->str($line, 'merchantSku') !== '' ? $this->str($line, 'merchantSku') : $this->str($line, 'barcode'),
                'name' => $this->str($line, 'productName'),
                'quantity' => (int) $this->get($line, 'quantity', 0),
                'price' => (float) $this->get($line, 'price', 0),
                'marketplace_line_id' => $this->str($line, 'id'),
            );
        }
        return $this->normalizeOrder(array(
            'marketplace_order_id' => $this->str($package, 'id'),
            'order_number' => $this->str($package, 'orderNumber'),
            'date_added' => $this->toDate($this->get($package, 'orderDate', '')),
            'status' => $this->str($package, 'status'),
            'currency' => $this->str($package, 'currencyCode') !== '' ? $this->str($package, 'currencyCode') : 'TRY',
            'total' => (float) $this->get($package, 'totalPrice', 0),
            'customer' => array(
                'firstname' => $this->str($package, 'customerFirstName'),
                'lastname' => $this->str($package, 'customerLastName'),
                'email' => $this->str($package, 'customerEmail'),
                'telephone' => $this->str($address, 'phone'),
            ),
            'shipping_address' => array(
                'firstname' => $this->str($address, 'firstName'),
                'lastname' => $this->str($address, 'lastName'),
                'address_1' => $this->str($address, 'address1'),
                'address_2' => $this->str($address, 'address2'),
                'city' => $this->str($address, 'city'),
                'postcode' => $this->str($address, 'postalCode'),
                'country_iso2' => $this->str($address, 'countryCode') !== '' ? $this->str($address, 'countryCode') : 'TR',
                'zone' => $this->str($address, 'district'),
            ),
            'lines' => $lines,
        ));
    }

    public function pushShipment(string $marketplaceOrderId, string $carrier, string $trackingNumber, array $lines = array()): array
    {
        $action = 'pushShipment';
        $path = '/integration/order/sellers/' . $this->sellerId($action) . '/shipment-packages/' . rawurlencode($marketplaceOrderId) . '/update-tracking-number';
        $data = $this->call('PUT', $path, array('trackingNumber' => $trackingNumber), $action);
        return array('marketplace_order_id' => $marketplaceOrderId, 'status' => 'tracking_updated', 'raw' => $data);
    }

    // ------------------------------------------------------------------ internals

    private function sellerId(string $action): string
    {
        $this->requireSettings(array('supplier_id'), $action);
        return rawurlencode($this->setting('supplier_id'));
    }

    private function call(string $method, string $path, ?array $payload, string $action): array
    {
        $this->requireSettings(array('supplier_id', 'api_key', 'api_secret'), $action);
        $headers = array(
            $this->basicAuth($this->setting('api_key'), $this->setting('api_secret')),
            'User-Agent: ' . $this->setting('supplier_id') . ' - SelfIntegration',
        );
        return $this->json($method, $this->baseUrl . $path, $headers, $payload, $action);
    }
}
