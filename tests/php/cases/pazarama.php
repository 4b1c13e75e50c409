<?php
function pazaramaSettings(): array
{
    return array('base_url' => 'https://isortagimapi.pazarama.com', 'client_id' => 'CID', 'client_secret' => 'CSECRET', 'tracking_url' => 'https://kargotakip.example.com/?no={tracking}');
}

T::test('pazarama: client-credentials token then product/create', function () {
    T::requires('pazarama');
    list($client, $t) = T::client('pazarama', pazaramaSettings(), array(T::ok(T::fixture('pazarama_token.json')), T::ok(T::fixture('pazarama_create.json'))));
    $r = $client->upsertProduct(T::sampleProduct(array('pazarama_brand_id' => 'a1b2c3d4-brand', 'pazarama_category_id' => 'c1d2e3f4-cat')));
    T::eq('https://isortagimgiris.pazarama.com/connect/token', $t->requests[0]['url']);
    T::eq('Basic ' . base64_encode('CID:CSECRET'), $t->header(0, 'Authorization'));
    parse_str($t->requests[0]['body'], $form);
    T::eq(array('grant_type' => 'client_credentials', 'scope' => 'merchantgatewayapi.fullaccess'), $form);
    T::eq('https://isortagimapi.pazarama.com/product/create', $t->requests[1]['url']);
    T::eq('Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IkV4YW1wbGUifQ.payload.sig', $t->header(1, 'Authorization'));
    $p = $t->json(1)['products'][0];
    T::eq('8690000000017', $p['code']);
    T::eq('a1b2c3d4-brand', $p['brandId']);
    T::eq(12, $p['stockCount']);
    T::eq(array('imageurl' => 'https://shop.example.com/image/tshirt-1.jpg'), $p['images'][0]);
    T::eq('8690000000017', $r['sku']);
    T::eq('4b5c4fd8-7d1e-4c55-a1c2-000000000001', $r['marketplace_product_id']);
});

T::test('pazarama: stock and price v2 updates; success=false is an ApiException', function () {
    T::requires('pazarama');
    list($client, $t) = T::client('pazarama', pazaramaSettings(), array(T::ok(T::fixture('pazarama_token.json')), T::ok(T::fixture('pazarama_ok.json')), T::ok(T::fixture('pazarama_ok.json'))));
    $client->updateStockPrice('8690000000017', 3, 229.9);
    T::eq('https://isortagimapi.pazarama.com/product/updateStock-v2', $t->requests[1]['url']);
    T::eq(array('items' => array(array('code' => '8690000000017', 'stockCount' => 3))), $t->json(1));
    T::eq('https://isortagimapi.pazarama.com/product/updatePrice-v2', $t->requests[2]['url']);
    T::eq(array('items' => array(array('code' => '8690000000017', 'listPrice' => 229.9, 'salePrice' => 229.9))), $t->json(2));
    list($client) = T::client('pazarama', pazaramaSettings(), array(T::ok(T::fixture('pazarama_token.json')), T::ok(T::fixture('pazarama_fail.json'))));
    $e = T::throws(function () use ($client) {
        $client->updateStockPrice('X', 1, 1.0);
    }, 422);
    T::contains('Ürün bulunamadı', $e->getMessage());
});

T::test('pazarama: getOrdersForApi normalized', function () {
    T::requires('pazarama');
    list($client, $t) = T::client('pazarama', pazaramaSettings(), array(T::ok(T::fixture('pazarama_token.json')), T::ok(T::fixture('pazarama_orders.json'))));
    $orders = $client->fetchOrders('2024-05-01T00:00:00Z');
    T::eq('https://isortagimapi.pazarama.com/order/getOrdersForApi', $t->requests[1]['url']);
    $body = $t->json(1);
    T::eq('2024-05-01T00:00:00', $body['startDate']);
    T::eq(1, $body['pageNumber']);
    $o = $orders[0];
    T::assertOrderShape($o);
    T::eq('218888888', $o['marketplace_order_id']);
    T::eq('Elif', $o['customer']['firstname']);
    T::eq('Şahin', $o['shipping_address']['lastname']);
    T::eq('İzmir', $o['shipping_address']['city']);
    T::eq('MS-TSHIRT-01', $o['lines'][0]['sku']);
    T::eq(249.9, $o['total']);
});

T::test('pazarama: updateOrderStatus per item with tracking', function () {
    T::requires('pazarama');
    list($client, $t) = T::client('pazarama', pazaramaSettings(), array(T::ok(T::fixture('pazarama_token.json')), T::ok(T::fixture('pazarama_ok.json'))));
    $client->pushShipment('218888888', 'cargo-guid-1', 'YK123', array(array('marketplace_line_id' => 'd1e2f3a4-0000-4000-8000-000000000011')));
    T::eq('PUT', $t->requests[1]['method']);
    T::eq('https://isortagimapi.pazarama.com/order/updateOrderStatus', $t->requests[1]['url']);
    $item = $t->json(1)['item'];
    T::eq(5, $item['status']);
    T::eq('YK123', $item['shippingTrackingNumber']);
    T::eq('cargo-guid-1', $item['cargoCompanyId']);
    T::eq('https://kargotakip.example.com/?no=YK123', $item['trackingUrl']);
});
