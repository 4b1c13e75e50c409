<?php
function n11Settings(): array
{
    return array('base_url' => 'https://api.n11.com', 'app_key' => 'APPKEY', 'app_secret' => 'APPSECRET', 'shipment_template' => 'Standart');
}

T::test('n11: product-create task with appkey/appsecret headers', function () {
    T::requires('n11');
    list($client, $t) = T::client('n11', n11Settings(), array(T::ok(T::fixture('n11_task.json'))));
    $r = $client->upsertProduct(T::sampleProduct(array('n11_category_id' => '1000038')));
    T::eq('https://api.n11.com/ms/product/tasks/product-create', $t->requests[0]['url']);
    T::eq('APPKEY', $t->header(0, 'appkey'));
    T::eq('APPSECRET', $t->header(0, 'appsecret'));
    T::eq(null, $t->header(0, 'Authorization'));
    $sku = $t->json(0)['payload']['skus'][0];
    T::eq('MS-TSHIRT-01', $sku['stockCode']);
    T::eq(1000038, $sku['categoryId']);
    T::eq('TL', $sku['currencyType']);
    T::eq('Standart', $sku['shipmentTemplate']);
    T::eq(array('url' => 'https://shop.example.com/image/tshirt-1.jpg', 'order' => 1), $sku['images'][0]);
    T::eq('pending', $r['status']);
});

T::test('n11: rejected task is an ApiException (422)', function () {
    T::requires('n11');
    list($client) = T::client('n11', n11Settings(), array(T::ok(T::fixture('n11_task_reject.json'))));
    $e = T::throws(function () use ($client) {
        $client->upsertProduct(T::sampleProduct(array('n11_category_id' => '1')));
    }, 422);
    T::contains('categoryId is invalid', $e->getMessage());
});

T::test('n11: price-stock-update task', function () {
    T::requires('n11');
    list($client, $t) = T::client('n11', n11Settings(), array(T::ok(T::fixture('n11_task.json'))));
    $client->updateStockPrice('MS-TSHIRT-01', 7, 239.9);
    T::eq('https://api.n11.com/ms/product/tasks/price-stock-update', $t->requests[0]['url']);
    T::eq(array('stockCode' => 'MS-TSHIRT-01', 'listPrice' => 239.9, 'salePrice' => 239.9, 'quantity' => 7, 'currencyType' => 'TL'), $t->json(0)['payload']['skus'][0]);
});

T::test('n11: shipmentPackages normalized', function () {
    T::requires('n11');
    list($client, $t) = T::client('n11', n11Settings(), array(T::ok(T::fixture('n11_shipment_packages.json'))));
    $orders = $client->fetchOrders(gmdate('Y-m-d\TH:i:s\Z', time() - 86400));
    T::contains('https://api.n11.com/rest/delivery/v1/shipmentPackages?startDate=', $t->requests[0]['url']);
    $o = $orders[0];
    T::assertOrderShape($o);
    T::eq('219999999999', $o['marketplace_order_id']);
    T::eq('205222222222', $o['order_number']);
    T::eq('Mehmet', $o['customer']['firstname']);
    T::eq('Ankara', $o['shipping_address']['city']);
    T::eq('300011111', $o['lines'][0]['marketplace_line_id']);
    T::eq(249.9, $o['total']);
});

T::test('n11: pushShipment marks lines Picking; needs line ids', function () {
    T::requires('n11');
    list($client, $t) = T::client('n11', n11Settings(), array(T::ok('{"code":200,"message":"success"}')));
    $client->pushShipment('219999999999', 'Yurtiçi Kargo', 'X', array(array('marketplace_line_id' => '300011111', 'quantity' => 1)));
    T::eq('PUT', $t->requests[0]['method']);
    T::eq(array('lines' => array(array('lineId' => 300011111, 'status' => 'Picking'))), $t->json(0));
    T::throws(function () use ($client) {
        $client->pushShipment('1', 'c', 't');
    }, 0);
});
