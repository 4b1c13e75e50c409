<?php
T::test('gittigidiyor: testConnection says the marketplace is closed, no request', function () {
    T::requires('gittigidiyor');
    list($client, $t) = T::client('gittigidiyor', array('api_key' => 'k', 'secret_key' => 's', 'role_name' => 'r', 'role_pass' => 'p'), array());
    $r = $client->testConnection();
    T::eq(false, $r['ok']);
    T::contains('closed', $r['message']);
    T::contains('2022', $r['message']);
    T::eq(0, count($t->requests));
});

T::test('gittigidiyor: every operation throws a logged ApiException', function () {
    T::requires('gittigidiyor');
    list($client, $t, $db) = T::client('gittigidiyor', array(), array());
    T::throws(function () use ($client) {
        $client->upsertProduct(T::sampleProduct());
    }, 0);
    T::throws(function () use ($client) {
        $client->updateStockPrice('a', 1, 1.0);
    }, 0);
    T::throws(function () use ($client) {
        $client->fetchOrders('2024-01-01T00:00:00Z');
    }, 0);
    T::throws(function () use ($client) {
        $client->pushShipment('1', 'c', 't');
    }, 0);
    T::eq(4, count($db->queries));
    T::eq(0, count($t->requests));
});

T::test('gittigidiyor: former SOAP request format (reference only)', function () {
    T::requires('gittigidiyor');
    list($client) = T::client('gittigidiyor', array('api_key' => 'KEY', 'secret_key' => 'SECRET', 'role_name' => 'role', 'role_pass' => 'pass'), array());
    $req = $client->buildLegacyRequest('IndividualProductService', 'getProducts', array('startOffSet' => 0, 'rowCount' => 10), 1650000000000);
    T::eq('https://dev.gittigidiyor.com:8443/listingapi/ws/IndividualProductService', $req['url']);
    T::contains('<sign>' . md5('KEYSECRET1650000000000') . '</sign>', $req['body']);
    T::contains('<rowCount>10</rowCount>', $req['body']);
    T::eq('Authorization: Basic ' . base64_encode('role:pass'), $req['headers'][0]);
});
