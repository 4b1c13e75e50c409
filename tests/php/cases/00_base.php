<?php
use Mestech\Api\ApiException;
use Mestech\Api\DbLogger;
use Mestech\Api\Factory;

T::test('factory: unknown or disabled marketplace throws ApiException and logs', function () {
    $db = new FakeDb();
    $e = T::throws(function () use ($db) {
        Factory::create('nosuchmarket', array(), new DbLogger($db, 0, 'oc_'));
    }, 0);
    T::contains('Unknown marketplace', $e->getMessage());
    T::contains('`oc_meschain_logs`', $db->queries[0]);
    T::throws(function () use ($db) {
        Factory::create('../etc', array(), new DbLogger($db, 0, 'oc_'));
    }, 0);
});

T::test('factory: every known code gives a client or an ApiException', function () {
    foreach (Factory::KNOWN as $code) {
        $file = MESTECH_API . '/' . $code . '.php';
        if (is_file($file)) {
            list($client) = T::client($code, array(), array());
            T::eq($code, $client->getCode());
            T::true($client instanceof \Mestech\Api\ClientInterface);
        } else {
            $e = T::throws(function () use ($code) {
                Factory::create($code, array(), new DbLogger(new FakeDb(), 0, 'oc_'));
            }, 0);
            T::contains('not installed', $e->getMessage());
        }
    }
});

T::test('factory: className follows the camel rule', function () {
    T::eq('Pttavm', Factory::className('pttavm'));
    T::eq('N11', Factory::className('n11'));
    T::eq('MyShop', Factory::className('my_shop'));
});

T::test('dblogger: escapes values, NULLs empty optional columns', function () {
    $db = new FakeDb();
    $logger = new DbLogger($db, 7, 'xy_');
    $logger->log('error', 'api', 'upsertProduct', "It's broken", array('a' => 'ş'), 'trendyol', 'product', 42, 0.25);
    $sql = $db->queries[0];
    T::contains('INSERT INTO `xy_meschain_logs`', $sql);
    T::contains("`user_id` = '7'", $sql);
    T::contains("`log_message` = 'It\\'s broken'", $sql);
    T::contains("`marketplace` = 'trendyol'", $sql);
    T::contains("`entity_id` = 42", $sql);
    T::contains("`execution_time` = '0.250000'", $sql);
    T::contains('{\\"a\\":\\"ş\\"}', $sql);
    $logger->log('bogus', 'api', 'x', 'm');
    T::contains("`log_level` = 'info'", $db->queries[1]);
    T::contains('`marketplace` = NULL', $db->queries[1]);
});

T::test('dblogger: a failing DB never throws', function () {
    $db = new class {
        public function query($sql)
        {
            throw new \RuntimeException('gone away');
        }

        public function escape($v)
        {
            return addslashes($v);
        }
    };
    $logger = new DbLogger($db, 0, 'oc_');
    $previous = ini_set('error_log', '/dev/null');
    $logger->error('api', 'x', 'message');
    ini_set('error_log', (string) $previous);
    T::true(true);
});

T::test('curl transport: TLS verification on, timeouts set, never disabled', function () {
    $source = file_get_contents(mestech_file('Api\CurlTransport'));
    T::contains('curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);', $source);
    T::contains('curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);', $source);
    T::contains('CURLOPT_CONNECTTIMEOUT', $source);
    T::contains('CURLOPT_TIMEOUT', $source);
    foreach (glob(MESTECH_API . '/*.php') as $file) {
        $text = file_get_contents($file);
        T::true(!preg_match('/VERIFYPEER\s*,\s*(false|0)/i', $text), basename($file) . ' disables TLS verification');
        T::true(!preg_match('/VERIFYHOST\s*,\s*(false|0)/i', $text), basename($file) . ' disables host verification');
    }
});

T::test('retry: 429 with Retry-After then success; waits as told', function () {
    T::requires('trendyol');
    list($client, $transport, $db, $sleeps) = T::client('trendyol', array('supplier_id' => '2738', 'api_key' => 'k', 'api_secret' => 's'), array(
        T::ok('{"message":"Too Many Requests"}', 429, array('retry-after' => '7')),
        T::ok('{"supplierAddresses":[{"id":1}]}'),
    ));
    $result = $client->testConnection();
    T::eq(true, $result['ok']);
    T::eq(array(7.0), $sleeps->getArrayCopy());
    T::eq(2, count($transport->requests));
    T::contains("'warning'", $db->queries[0]);
});

T::test('retry: 5xx exhausted gives ApiException with the HTTP status, logged once as error', function () {
    T::requires('trendyol');
    list($client, $transport, $db, $sleeps) = T::client('trendyol', array('supplier_id' => '2738', 'api_key' => 'k', 'api_secret' => 's', 'max_attempts' => 3), array(
        T::ok('oops', 503), T::ok('oops', 502), T::ok('{"errors":[{"message":"still down"}]}', 500),
    ));
    $e = T::throws(function () use ($client) {
        $client->updateStockPrice('8690000000017', 5, 10.0);
    }, 500);
    T::contains('still down', $e->getMessage());
    T::eq('trendyol', $e->getMarketplace());
    T::eq(array(1.0, 2.0), $sleeps->getArrayCopy(), 'exponential backoff');
    $errors = array_values(array_filter($db->queries, function ($q) {
        return strpos($q, "`log_level` = 'error'") !== false;
    }));
    T::eq(1, count($errors));
    T::contains('updateStockPrice', $errors[0]);
});

T::test('retry: 4xx is not retried; transport error gives code 0', function () {
    T::requires('trendyol');
    $settings = array('supplier_id' => '2738', 'api_key' => 'k', 'api_secret' => 's', 'max_attempts' => 2);
    list($client, $transport, $db, $sleeps) = T::client('trendyol', $settings, array(T::ok('{"message":"bad"}', 400)));
    T::throws(function () use ($client) {
        $client->updateStockPrice('x', 1, 1.0);
    }, 400);
    T::eq(0, count($sleeps));
    list($client, $transport, $db, $sleeps) = T::client('trendyol', $settings, array(
        new ApiException('HTTP transport error (cURL 28): timeout', 0),
        new ApiException('HTTP transport error (cURL 28): timeout', 0),
    ));
    T::throws(function () use ($client) {
        $client->updateStockPrice('x', 1, 1.0);
    }, 0);
    T::eq(1, count($sleeps));
});

T::test('transport: a callable transport is accepted', function () {
    T::requires('trendyol');
    $seen = array();
    $client = Factory::create('trendyol', array('supplier_id' => '1', 'api_key' => 'k', 'api_secret' => 's', 'timeout' => 12), new DbLogger(new FakeDb(), 0, 'oc_'), function ($method, $url, $headers, $body, $options) use (&$seen) {
        $seen = $options;
        return array('status' => 200, 'headers' => array(), 'body' => '{"supplierAddresses":[]}');
    });
    T::eq(true, $client->testConnection()['ok']);
    T::eq(12, $seen['timeout']);
});

T::test('settings: missing credentials throw before any request', function () {
    T::requires('trendyol');
    list($client, $transport) = T::client('trendyol', array('supplier_id' => '2738'), array());
    $e = T::throws(function () use ($client) {
        $client->fetchOrders('2024-05-01T00:00:00Z');
    }, 0);
    T::contains('api_key', $e->getMessage());
    T::eq(0, count($transport->requests));
});
