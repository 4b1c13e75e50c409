<?php
function amazonSettings(): array
{
    return array('base_url' => 'https://sellingpartnerapi-eu.amazon.com', 'seller_id' => 'A2SELLER', 'marketplace_id' => 'A1PA6795UKMFR9',
        'lwa_client_id' => 'amzn1.application-oa2-client.x', 'lwa_client_secret' => 'sec', 'refresh_token' => 'Atzr|r', 'currency' => 'EUR');
}

T::test('amazon: LWA token exchange then putListingsItem', function () {
    T::requires('amazon');
    list($client, $t) = T::client('amazon', amazonSettings(), array(T::ok(T::fixture('amazon_token.json')), T::ok(T::fixture('amazon_put_listing.json'))));
    $r = $client->upsertProduct(T::sampleProduct(array('amazon_product_type' => 'SHIRT')));
    T::eq('POST', $t->requests[0]['method']);
    T::eq('https://api.amazon.com/auth/o2/token', $t->requests[0]['url']);
    parse_str($t->requests[0]['body'], $form);
    T::eq('refresh_token', $form['grant_type']);
    T::eq('Atzr|r', $form['refresh_token']);
    T::eq('PUT', $t->requests[1]['method']);
    T::eq('https://sellingpartnerapi-eu.amazon.com/listings/2021-08-01/items/A2SELLER/MS-TSHIRT-01?marketplaceIds=A1PA6795UKMFR9&issueLocale=en_US', $t->requests[1]['url']);
    T::eq('Atza|IwEBIExampleAccessToken', $t->header(1, 'x-amz-access-token'));
    $body = $t->json(1);
    T::eq('SHIRT', $body['productType']);
    T::eq('LISTING', $body['requirements']);
    T::eq('Pamuklu Tişört – Mavi', $body['attributes']['item_name'][0]['value']);
    T::eq(12, $body['attributes']['fulfillment_availability'][0]['quantity']);
    T::eq(249.9, $body['attributes']['purchasable_offer'][0]['our_price'][0]['schedule'][0]['value_with_tax']);
    T::eq('ean', $body['attributes']['externally_assigned_product_identifier'][0]['type']);
    T::eq('https://shop.example.com/image/tshirt-1.jpg', $body['attributes']['main_product_image_locator'][0]['media_location']);
    T::eq('MS-TSHIRT-01', $r['sku']);
    T::eq('accepted', $r['status']);
});

T::test('amazon: INVALID listing submission is an ApiException (422)', function () {
    T::requires('amazon');
    list($client) = T::client('amazon', amazonSettings(), array(T::ok(T::fixture('amazon_token.json')), T::ok(T::fixture('amazon_put_listing_invalid.json'))));
    $e = T::throws(function () use ($client) {
        $client->upsertProduct(T::sampleProduct());
    }, 422);
    T::contains('item_name', $e->getMessage());
});

T::test('amazon: patchListingsItem for stock and price; token reused', function () {
    T::requires('amazon');
    list($client, $t) = T::client('amazon', amazonSettings(), array(T::ok(T::fixture('amazon_token.json')), T::ok(T::fixture('amazon_put_listing.json')), T::ok(T::fixture('amazon_put_listing.json'))));
    $client->updateStockPrice('MS-TSHIRT-01', 3, 19.5);
    $client->updateStockPrice('MS-TSHIRT-01', 4, 19.5);
    T::eq(3, count($t->requests), 'one token request for two calls');
    T::eq('PATCH', $t->requests[1]['method']);
    $body = $t->json(1);
    T::eq('/attributes/fulfillment_availability', $body['patches'][0]['path']);
    T::eq(3, $body['patches'][0]['value'][0]['quantity']);
    T::eq('EUR', $body['patches'][1]['value'][0]['currency']);
    T::eq(19.5, $body['patches'][1]['value'][0]['our_price'][0]['schedule'][0]['value_with_tax']);
});

T::test('amazon: getOrders + getOrderItems normalized', function () {
    T::requires('amazon');
    list($client, $t) = T::client('amazon', amazonSettings(), array(T::ok(T::fixture('amazon_token.json')), T::ok(T::fixture('amazon_orders.json')), T::ok(T::fixture('amazon_order_items.json'))));
    $orders = $client->fetchOrders('2024-05-01T00:00:00Z');
    T::contains('/orders/v0/orders?MarketplaceIds=A1PA6795UKMFR9&CreatedAfter=2024-05-01T00%3A00%3A00Z', $t->requests[1]['url']);
    T::eq(1, count($orders));
    $o = $orders[0];
    T::assertOrderShape($o);
    T::eq('902-3159896-1390916', $o['marketplace_order_id']);
    T::eq('2024-05-02 10:15:30', $o['date_added']);
    T::eq(59.98, $o['total']);
    T::eq('EUR', $o['currency']);
    T::eq('Max', $o['customer']['firstname']);
    T::eq('Mustermann', $o['shipping_address']['lastname']);
    T::eq('DE', $o['shipping_address']['country_iso2']);
    T::eq('MS-TSHIRT-01', $o['lines'][0]['sku']);
    T::eq(2, $o['lines'][0]['quantity']);
    T::eq(29.99, $o['lines'][0]['price']);
});

T::test('amazon: confirmShipment with package detail', function () {
    T::requires('amazon');
    list($client, $t) = T::client('amazon', amazonSettings(), array(T::ok(T::fixture('amazon_token.json')), T::ok('', 204)));
    $r = $client->pushShipment('902-3159896-1390916', 'Hermes Germany', 'H1234567890', array(array('marketplace_line_id' => '68828574383266', 'quantity' => 2)));
    T::eq('https://sellingpartnerapi-eu.amazon.com/orders/v0/orders/902-3159896-1390916/shipmentConfirmation', $t->requests[1]['url']);
    $body = $t->json(1);
    T::eq('A1PA6795UKMFR9', $body['marketplaceId']);
    T::eq('Other', $body['packageDetail']['carrierCode']);
    T::eq('Hermes Germany', $body['packageDetail']['carrierName']);
    T::eq('H1234567890', $body['packageDetail']['trackingNumber']);
    T::eq(array(array('orderItemId' => '68828574383266', 'quantity' => 2)), $body['packageDetail']['orderItems']);
    T::eq('shipped', $r['status']);
});

T::test('amazon: testConnection reports failure without throwing', function () {
    T::requires('amazon');
    list($client) = T::client('amazon', amazonSettings(), array(T::ok('{"error":"invalid_grant","error_description":"The request has an invalid grant parameter"}', 400)));
    $r = $client->testConnection();
    T::eq(false, $r['ok']);
    T::contains('invalid grant', $r['message']);
});
