<?php
function pttSettings(): array
{
    return array('base_url' => 'https://integration-api.pttavm.com', 'api_key' => 'PTTKEY', 'access_token' => 'PTTTOKEN', 'username' => 'shipuser', 'password' => 'shippass', 'warehouse_id' => '100301619');
}

T::test('pttavm: products/upsert with Api-Key, access-token and correlation id', function () {
    T::requires('pttavm');
    list($client, $t) = T::client('pttavm', pttSettings(), array(T::ok(T::fixture('pttavm_upsert.json'))));
    $r = $client->upsertProduct(T::sampleProduct(array('pttavm_category_id' => '1234')));
    T::eq('https://integration-api.pttavm.com/api/v1/products/upsert', $t->requests[0]['url']);
    T::eq('PTTKEY', $t->header(0, 'Api-Key'));
    T::eq('PTTTOKEN', $t->header(0, 'access-token'));
    T::true((bool) preg_match('/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/', (string) $t->header(0, 'X-Correlation-Id')), 'UUID v4 correlation id');
    $item = $t->json(0)['items'][0];
    T::eq('8690000000017', $item['barcode']);
    T::eq(1234, $item['categoryId']);
    T::eq(249.9, $item['priceWithVat']);
    T::eq('cb3fa78459a6edae7dca9be0389a9861', $r['marketplace_product_id']);
});

T::test('pttavm: stock-prices clamps quantity to 0..9999', function () {
    T::requires('pttavm');
    list($client, $t) = T::client('pttavm', pttSettings(), array(T::ok(T::fixture('pttavm_upsert.json'))));
    $client->updateStockPrice('8690000000017', 20000, 99.9);
    T::eq('https://integration-api.pttavm.com/api/v1/products/stock-prices', $t->requests[0]['url']);
    T::eq(array('items' => array(array('barcode' => '8690000000017', 'quantity' => 9999, 'priceWithVat' => 99.9))), $t->json(0));
});

T::test('pttavm: orders/search normalized', function () {
    T::requires('pttavm');
    list($client, $t) = T::client('pttavm', pttSettings(), array(T::ok(T::fixture('pttavm_orders.json'))));
    $orders = $client->fetchOrders(gmdate('Y-m-d\TH:i:s\Z', time() - 86400));
    T::contains('https://integration-api.pttavm.com/api/v1/orders/search?startDate=', $t->requests[0]['url']);
    T::contains('isActiveOrders=false', $t->requests[0]['url']);
    $o = $orders[0];
    T::assertOrderShape($o);
    T::eq('PTT-0BO6M672N-180925', $o['marketplace_order_id']);
    T::eq(499.8, $o['total']);
    T::eq('Can', $o['customer']['firstname']);
    T::eq('8690000000017', $o['lines'][0]['sku']);
    T::eq(249.9, $o['lines'][0]['price']);
    T::eq('kargo_yapilmasi_bekleniyor', $o['status']);
});

T::test('pttavm: pushShipment asks for a PTT barcode (Basic auth shipment service)', function () {
    T::requires('pttavm');
    list($client, $t) = T::client('pttavm', pttSettings(), array(T::ok(T::fixture('pttavm_barcode.json'))));
    $r = $client->pushShipment('PTT-0BO6M672N-180925', 'PTT Kargo', '');
    T::eq('https://shipment.pttavm.com/api/v1/create-barcode', $t->requests[0]['url']);
    T::eq('Basic ' . base64_encode('shipuser:shippass'), $t->header(0, 'Authorization'));
    T::eq(array('orders' => array(array('order_id' => 'PTT-0BO6M672N-180925', 'warehouse_id' => 100301619))), $t->json(0));
    T::eq('barcode_requested', $r['status']);
});
