<?php
function trendyolSettings(): array
{
    return array('base_url' => 'https://apigw.trendyol.com', 'supplier_id' => '2738', 'api_key' => 'KEY', 'api_secret' => 'SECRET');
}

T::test('trendyol: createProducts v2 with Basic auth and SelfIntegration user agent', function () {
    T::requires('trendyol');
    list($client, $t) = T::client('trendyol', trendyolSettings(), array(T::ok(T::fixture('trendyol_batch.json'))));
    $r = $client->upsertProduct(T::sampleProduct(array('trendyol_brand_id' => '1791', 'trendyol_category_id' => '411')));
    T::eq('POST', $t->requests[0]['method']);
    T::eq('https://apigw.trendyol.com/integration/product/sellers/2738/v2/products', $t->requests[0]['url']);
    T::eq('Basic ' . base64_encode('KEY:SECRET'), $t->header(0, 'Authorization'));
    T::eq('2738 - SelfIntegration', $t->header(0, 'User-Agent'));
    $item = $t->json(0)['items'][0];
    T::eq('8690000000017', $item['barcode']);
    T::eq('MS-TSHIRT-01', $item['stockCode']);
    T::eq(1791, $item['brandId']);
    T::eq(411, $item['categoryId']);
    T::eq(249.9, $item['salePrice']);
    T::eq(array('url' => 'https://shop.example.com/image/tshirt-1.jpg'), $item['images'][0]);
    T::eq('8690000000017', $r['sku']);
    T::eq('pending', $r['status']);
    T::eq('fa75dfd5-6ce6-4730-a09e-97563500000-1529854840', $r['raw']['batchRequestId']);
});

T::test('trendyol: missing brand/category ids is an ApiException before sending', function () {
    T::requires('trendyol');
    list($client, $t) = T::client('trendyol', trendyolSettings(), array());
    T::throws(function () use ($client) {
        $client->upsertProduct(T::sampleProduct());
    }, 0);
    T::eq(0, count($t->requests));
});

T::test('trendyol: price-and-inventory update', function () {
    T::requires('trendyol');
    list($client, $t) = T::client('trendyol', trendyolSettings(), array(T::ok(T::fixture('trendyol_batch.json'))));
    $client->updateStockPrice('8690000000017', 5, 199.0);
    T::eq('https://apigw.trendyol.com/integration/inventory/sellers/2738/products/price-and-inventory', $t->requests[0]['url']);
    T::eq(array('items' => array(array('barcode' => '8690000000017', 'quantity' => 5, 'salePrice' => 199.0, 'listPrice' => 199.0))), $t->json(0));
});

T::test('trendyol: shipment packages normalized', function () {
    T::requires('trendyol');
    list($client, $t) = T::client('trendyol', trendyolSettings(), array(T::ok(T::fixture('trendyol_orders.json'))));
    $orders = $client->fetchOrders(gmdate('Y-m-d\TH:i:s\Z', time() - 3600));
    T::contains('https://apigw.trendyol.com/integration/order/sellers/2738/orders?startDate=', $t->requests[0]['url']);
    T::contains('&page=0&size=200', $t->requests[0]['url']);
    $o = $orders[0];
    T::assertOrderShape($o);
    T::eq('3330111111', $o['marketplace_order_id']);
    T::eq('10654411111', $o['order_number']);
    T::eq('2024-05-02 10:15:30', $o['date_added']);
    T::eq(499.8, $o['total']);
    T::eq('Ayşe', $o['customer']['firstname']);
    T::eq('pf+abc123@trendyolmail.com', $o['customer']['email']);
    T::eq('Kadıköy', $o['shipping_address']['zone']);
    T::eq('34710', $o['shipping_address']['postcode']);
    T::eq(array('sku' => 'MS-TSHIRT-01', 'name' => 'Pamuklu Tişört – Mavi', 'quantity' => 2, 'price' => 249.9, 'marketplace_line_id' => '56040534'), $o['lines'][0]);
});

T::test('trendyol: update tracking number', function () {
    T::requires('trendyol');
    list($client, $t) = T::client('trendyol', trendyolSettings(), array(T::ok('')));
    $r = $client->pushShipment('3330111111', 'Yurtiçi Kargo', '123456789');
    T::eq('PUT', $t->requests[0]['method']);
    T::eq('https://apigw.trendyol.com/integration/order/sellers/2738/shipment-packages/3330111111/update-tracking-number', $t->requests[0]['url']);
    T::eq(array('trackingNumber' => '123456789'), $t->json(0));
    T::eq('tracking_updated', $r['status']);
});
