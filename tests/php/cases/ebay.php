<?php
function ebaySettings(array $extra = array()): array
{
    return $extra + array('base_url' => 'https://api.ebay.com', 'client_id' => 'MesTech-app-PRD', 'client_secret' => 'PRD-secret', 'refresh_token' => 'v^1.1#refresh', 'marketplace_id' => 'EBAY_US');
}

T::test('ebay: refresh-token grant, inventory item, new offer, publish', function () {
    T::requires('ebay');
    $settings = ebaySettings(array('fulfillment_policy_id' => 'F1', 'payment_policy_id' => 'P1', 'return_policy_id' => 'R1', 'merchant_location_key' => 'WH1'));
    list($client, $t, $db) = T::client('ebay', $settings, array(
        T::ok(T::fixture('ebay_token.json')),
        T::ok('', 204),
        T::ok(T::fixture('ebay_offers_none.json'), 404),
        T::ok(T::fixture('ebay_offer_created.json'), 201),
        T::ok('{"listingId":"110555555555"}'),
    ));
    $product = T::sampleProduct(array('ebay_category_id' => '15687'));
    $product['currency'] = 'USD';
    $r = $client->upsertProduct($product);
    T::eq('https://api.ebay.com/identity/v1/oauth2/token', $t->requests[0]['url']);
    T::eq('Basic ' . base64_encode('MesTech-app-PRD:PRD-secret'), $t->header(0, 'Authorization'));
    parse_str($t->requests[0]['body'], $form);
    T::eq('refresh_token', $form['grant_type']);
    T::contains('sell.inventory', $form['scope']);
    T::eq('PUT', $t->requests[1]['method']);
    T::eq('https://api.ebay.com/sell/inventory/v1/inventory_item/MS-TSHIRT-01', $t->requests[1]['url']);
    T::eq('en-US', $t->header(1, 'Content-Language'));
    $item = $t->json(1);
    T::eq(12, $item['availability']['shipToLocationAvailability']['quantity']);
    T::eq(array('MesTech'), $item['product']['aspects']['Brand']);
    $offer = $t->json(3);
    T::eq('15687', $offer['categoryId']);
    T::eq(array('value' => '249.90', 'currency' => 'USD'), $offer['pricingSummary']['price']);
    T::eq('F1', $offer['listingPolicies']['fulfillmentPolicyId']);
    T::eq('https://api.ebay.com/sell/inventory/v1/offer/7082820010/publish', $t->requests[4]['url']);
    T::eq('110555555555', $r['marketplace_product_id']);
    T::eq('published', $r['status']);
    foreach ($db->queries as $q) {
        T::true(strpos($q, "'error'") === false, '404 on getOffers is not an error');
    }
});

T::test('ebay: existing offer is updated, not published without policies', function () {
    T::requires('ebay');
    list($client, $t) = T::client('ebay', ebaySettings(), array(
        T::ok(T::fixture('ebay_token.json')), T::ok('', 204), T::ok(T::fixture('ebay_offers.json')), T::ok('', 204),
    ));
    $r = $client->upsertProduct(T::sampleProduct(array('ebay_category_id' => '15687')));
    T::eq('PUT', $t->requests[3]['method']);
    T::eq('https://api.ebay.com/sell/inventory/v1/offer/7082820010', $t->requests[3]['url']);
    T::eq('offer_unpublished', $r['status']);
    T::eq('7082820010', $r['marketplace_product_id']);
});

T::test('ebay: bulk_update_price_quantity with the offer id', function () {
    T::requires('ebay');
    list($client, $t) = T::client('ebay', ebaySettings(), array(T::ok(T::fixture('ebay_token.json')), T::ok(T::fixture('ebay_offers.json')), T::ok(T::fixture('ebay_bulk_update.json'))));
    $client->updateStockPrice('MS-TSHIRT-01', 4, 22.5);
    T::eq('https://api.ebay.com/sell/inventory/v1/bulk_update_price_quantity', $t->requests[2]['url']);
    $req = $t->json(2)['requests'][0];
    T::eq(4, $req['shipToLocationAvailability']['quantity']);
    T::eq(array('offerId' => '7082820010', 'availableQuantity' => 4, 'price' => array('value' => '22.50', 'currency' => 'USD')), $req['offers'][0]);
});

T::test('ebay: per-item failure in bulk update is an ApiException', function () {
    T::requires('ebay');
    list($client) = T::client('ebay', ebaySettings(), array(T::ok(T::fixture('ebay_token.json')), T::ok(T::fixture('ebay_offers.json')),
        T::ok('{"responses":[{"statusCode":400,"sku":"MS-TSHIRT-01","errors":[{"errorId":25001,"message":"Invalid price"}]}]}')));
    $e = T::throws(function () use ($client) {
        $client->updateStockPrice('MS-TSHIRT-01', 4, -1.0);
    }, 400);
    T::contains('Invalid price', $e->getMessage());
});

T::test('ebay: getOrders normalized', function () {
    T::requires('ebay');
    list($client, $t) = T::client('ebay', ebaySettings(), array(T::ok(T::fixture('ebay_token.json')), T::ok(T::fixture('ebay_orders.json'))));
    $orders = $client->fetchOrders('2024-05-01T00:00:00Z');
    T::contains('/sell/fulfillment/v1/order?filter=creationdate%3A%5B2024-05-01T00%3A00%3A00.000Z..%5D', $t->requests[1]['url']);
    $o = $orders[0];
    T::assertOrderShape($o);
    T::eq('12-09876-54321', $o['marketplace_order_id']);
    T::eq('2024-05-02 15:04:05', $o['date_added']);
    T::eq(54.98, $o['total']);
    T::eq('USD', $o['currency']);
    T::eq('John', $o['customer']['firstname']);
    T::eq('CA', $o['shipping_address']['zone']);
    T::eq('US', $o['shipping_address']['country_iso2']);
    T::eq(24.99, $o['lines'][0]['price']);
    T::eq('10001234567801', $o['lines'][0]['marketplace_line_id']);
});

T::test('ebay: createShippingFulfillment reads line items when none given', function () {
    T::requires('ebay');
    $orders = json_decode(T::fixture('ebay_orders.json'), true);
    list($client, $t) = T::client('ebay', ebaySettings(), array(T::ok(T::fixture('ebay_token.json')), T::ok(json_encode($orders['orders'][0])), T::ok('', 201)));
    $r = $client->pushShipment('12-09876-54321', 'USPS', '9400111899223197428490');
    T::eq('https://api.ebay.com/sell/fulfillment/v1/order/12-09876-54321/shipping_fulfillment', $t->requests[2]['url']);
    $body = $t->json(2);
    T::eq(array(array('lineItemId' => '10001234567801', 'quantity' => 2)), $body['lineItems']);
    T::eq('USPS', $body['shippingCarrierCode']);
    T::eq('9400111899223197428490', $body['trackingNumber']);
    T::eq('shipped', $r['status']);
});
