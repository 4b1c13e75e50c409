<?php
function hbSettings(): array
{
    return array('base_url' => 'https://mpop-sit.hepsiburada.com', 'merchant_id' => 'b2910839-83b9-4d45-adb6-86bad457edcb', 'service_key' => 'ABC123def456', 'integrator_username' => 'mestech_dev');
}

T::test('hepsiburada: hosts derived from base_url (sit and production)', function () {
    T::requires('hepsiburada');
    list($client) = T::client('hepsiburada', hbSettings(), array());
    T::eq('https://listing-external-sit.hepsiburada.com', $client->serviceUrl('listing-external'));
    T::eq('https://oms-external-sit.hepsiburada.com', $client->serviceUrl('oms-external'));
    list($client) = T::client('hepsiburada', array('base_url' => 'https://mpop.hepsiburada.com') + hbSettings(), array());
    T::eq('https://oms-external.hepsiburada.com', $client->serviceUrl('oms-external'));
});

T::test('hepsiburada: inventory-uploads with merchant id / service key and User-Agent', function () {
    T::requires('hepsiburada');
    list($client, $t) = T::client('hepsiburada', hbSettings(), array(T::ok(T::fixture('hepsiburada_inventory_upload.json'))));
    $r = $client->updateStockPrice('MS-TSHIRT-01', 9, 259.9);
    T::eq('https://listing-external-sit.hepsiburada.com/listings/merchantid/b2910839-83b9-4d45-adb6-86bad457edcb/inventory-uploads', $t->requests[0]['url']);
    T::eq('Basic ' . base64_encode('b2910839-83b9-4d45-adb6-86bad457edcb:ABC123def456'), $t->header(0, 'Authorization'));
    T::eq('mestech_dev', $t->header(0, 'User-Agent'));
    T::eq(array(array('merchantSku' => 'MS-TSHIRT-01', 'price' => 259.9, 'availableStock' => 9)), $t->json(0));
    T::eq('3fa85f64-5717-4562-b3fc-2c963f66afa6', $r['raw']['id']);
});

T::test('hepsiburada: legacy key names username/password are accepted', function () {
    T::requires('hepsiburada');
    list($client, $t) = T::client('hepsiburada', array('merchant_id' => 'm1', 'username' => 'dev_user', 'password' => 'KEY'), array(T::ok('{"totalCount":0}')));
    T::eq(true, $client->testConnection()['ok']);
    T::eq('Basic ' . base64_encode('m1:KEY'), $t->header(0, 'Authorization'));
    T::eq('dev_user', $t->header(0, 'User-Agent'));
});

T::test('hepsiburada: catalog import is a multipart JSON file', function () {
    T::requires('hepsiburada');
    list($client, $t) = T::client('hepsiburada', hbSettings(), array(T::ok(T::fixture('hepsiburada_import.json'))));
    $r = $client->upsertProduct(T::sampleProduct(array('hepsiburada_category_id' => '18021982')));
    T::eq('https://mpop-sit.hepsiburada.com/product/api/products/import', $t->requests[0]['url']);
    T::contains('multipart/form-data; boundary=', (string) $t->header(0, 'Content-Type'));
    T::contains('filename="products.json"', $t->requests[0]['body']);
    T::contains('"merchantSku":"MS-TSHIRT-01"', $t->requests[0]['body']);
    T::contains('"price":"249,90"', $t->requests[0]['body']);
    T::eq('5dbb2c66-c0d0-4f09-9a07-9b46ad4e6f8e', $r['marketplace_product_id']);
});

T::test('hepsiburada: order lines grouped by order number', function () {
    T::requires('hepsiburada');
    list($client, $t) = T::client('hepsiburada', hbSettings(), array(T::ok(T::fixture('hepsiburada_orders.json'))));
    $orders = $client->fetchOrders('2024-05-01T00:00:00Z');
    T::contains('https://oms-external-sit.hepsiburada.com/orders/merchantid/b2910839-83b9-4d45-adb6-86bad457edcb?offset=0&limit=100&begindate=2024-05-01+00%3A00', $t->requests[0]['url']);
    T::eq(1, count($orders));
    $o = $orders[0];
    T::assertOrderShape($o);
    T::eq('4203333333', $o['order_number']);
    T::eq(449.9, $o['total']);
    T::eq(2, count($o['lines']));
    T::eq(100.0, $o['lines'][1]['price']);
    T::eq('Zeynep', $o['shipping_address']['firstname']);
    T::eq('zeynep@example.com', $o['customer']['email']);
});

T::test('hepsiburada: package in transit with tracking number', function () {
    T::requires('hepsiburada');
    list($client, $t) = T::client('hepsiburada', hbSettings(), array(T::ok('')));
    $client->pushShipment('4203333333', 'Aras Kargo', 'ARAS123', array(array('package_number' => '013105889')));
    T::eq('https://oms-external-sit.hepsiburada.com/packages/merchantid/b2910839-83b9-4d45-adb6-86bad457edcb/packagenumber/013105889/intransit', $t->requests[0]['url']);
    $body = $t->json(0);
    T::eq('ARAS123', $body['trackingNumber']);
    T::eq(0, $body['tax']);
});
