<?php
/**
 * Self-contained test runner for the rendered marketplace API library (no network, no PHPUnit).
 *
 *   php tests/php/run.php <rendered system/library directory of a package (3.0: upload/system/library)>
 *
 * Runs every tests/php/cases/*.php file; the last line printed is "N passed, N failed" and the exit
 * status is 1 when a test failed. Tests of a marketplace whose client is not rendered (disabled in
 * the project file) are reported as skipped.
 */
error_reporting(E_ALL);
ini_set('display_errors', '1');
date_default_timezone_set('UTC');

$lib = $argc >= 2 ? rtrim($argv[1], '/') : '';

// OpenCart 3.0 packages: Mestech\Api\BaseClient in mestech/api/baseclient.php. OpenCart 4.x
// packages: Opencart\System\Library\Extension\<Code>\Api\BaseClient in api/base_client.php
// (OpenCart 4's autoloader puts "_" before inner capitals and digits).
if ($lib !== '' && is_dir($lib . '/mestech/api')) {
    define('MESTECH_NS', 'Mestech');
    define('MESTECH_DIR', $lib . '/mestech');
    define('MESTECH_SNAKE', false);
} elseif ($lib !== '' && is_file($lib . '/api/factory.php') && preg_match('/^namespace\s+([A-Za-z0-9_\\\\]+)\\\\Api;/m', (string) file_get_contents($lib . '/api/factory.php'), $match)) {
    define('MESTECH_NS', $match[1]);
    define('MESTECH_DIR', $lib);
    define('MESTECH_SNAKE', true);
} else {
    fwrite(STDERR, "usage: php tests/php/run.php <rendered system/library directory (3.0: upload/system/library)>\n");
    exit(2);
}
define('MESTECH_LIB', $lib);
define('MESTECH_API', MESTECH_DIR . '/api');
define('MESTECH_FIXTURES', __DIR__ . '/fixtures');

/** The file of a library class, given its name below the package namespace ("Api\CurlTransport"). */
function mestech_file(string $relative): string
{
    $path = MESTECH_SNAKE ? preg_replace('~([a-z])([A-Z]|[0-9])~', '\1_\2', $relative) : $relative;
    return MESTECH_DIR . '/' . str_replace('\\', '/', strtolower($path)) . '.php';
}

spl_autoload_register(function ($class) {
    if (strpos($class, MESTECH_NS . '\\') === 0) {
        $file = mestech_file(substr($class, strlen(MESTECH_NS) + 1));
        if (is_file($file)) {
            require_once $file;
        }
        return;
    }
});

// The cases name the API classes Mestech\Api\...: on 4.x they become aliases of the package's
// classes, all made up front (catch and instanceof never autoload a name).
if (MESTECH_NS !== 'Mestech') {
    foreach (glob(MESTECH_API . '/*.php') as $file) {
        $relative = 'api/' . basename($file, '.php');
        $name = str_replace(array('_', '/'), array('', '\\'), ucwords($relative, '_/'));
        $real = MESTECH_NS . '\\' . $name;
        if (class_exists($real) || interface_exists($real)) {
            class_alias($real, 'Mestech\\' . $name);
        }
    }
}

// Deprecations and notices are failures too.
set_error_handler(function ($severity, $message, $file, $line) {
    throw new \ErrorException($message, 0, $severity, $file, $line);
});

class SkipTest extends \Exception
{
}

class AssertionFailed extends \Exception
{
}

/** OpenCart-like DB object that records queries. */
class FakeDb
{
    /** @var array */
    public $queries = array();

    public function query($sql)
    {
        $this->queries[] = $sql;
        return true;
    }

    public function escape($value)
    {
        return addslashes((string) $value);
    }
}

/** Transport that answers from a queue and records each request. */
class FakeTransport implements \Mestech\Api\TransportInterface
{
    /** @var array */
    public $requests = array();

    /** @var array */
    private $responses;

    public function __construct(array $responses)
    {
        $this->responses = $responses;
    }

    public function send(string $method, string $url, array $headers, ?string $body = null, array $options = array()): array
    {
        $this->requests[] = array('method' => $method, 'url' => $url, 'headers' => $headers, 'body' => $body, 'options' => $options);
        if (!$this->responses) {
            throw new AssertionFailed('Unexpected request: ' . $method . ' ' . $url);
        }
        $next = array_shift($this->responses);
        if ($next instanceof \Exception) {
            throw $next;
        }
        return array(
            'status' => isset($next['status']) ? $next['status'] : 200,
            'headers' => isset($next['headers']) ? $next['headers'] : array(),
            'body' => isset($next['body']) ? $next['body'] : '',
        );
    }

    public function remaining(): int
    {
        return count($this->responses);
    }

    public function header(int $index, string $name): ?string
    {
        foreach ($this->requests[$index]['headers'] as $header) {
            $parts = explode(':', $header, 2);
            if (strtolower(trim($parts[0])) === strtolower($name)) {
                return trim($parts[1]);
            }
        }
        return null;
    }

    public function json(int $index): array
    {
        $data = json_decode((string) $this->requests[$index]['body'], true);
        if (!is_array($data)) {
            throw new AssertionFailed('Request ' . $index . ' body is not JSON: ' . $this->requests[$index]['body']);
        }
        return $data;
    }
}

class T
{
    /** @var array */
    public static $tests = array();

    public static function test(string $name, callable $fn): void
    {
        self::$tests[] = array($name, $fn);
    }

    /** Skips the test when the marketplace's client was not rendered. */
    public static function requires(string $code): void
    {
        if (!is_file(MESTECH_API . '/' . $code . '.php')) {
            throw new SkipTest($code . ' client not rendered (marketplace disabled)');
        }
    }

    public static function fixture(string $name): string
    {
        $path = MESTECH_FIXTURES . '/' . $name;
        if (!is_file($path)) {
            throw new AssertionFailed('Missing fixture ' . $name);
        }
        return (string) file_get_contents($path);
    }

    public static function ok(string $body = '{}', int $status = 200, array $headers = array()): array
    {
        return array('status' => $status, 'body' => $body, 'headers' => $headers);
    }

    /**
     * @return array [client, transport, db, sleeps (by reference holder)]
     */
    public static function client(string $code, array $settings, array $responses): array
    {
        $db = new FakeDb();
        $logger = new \Mestech\Api\DbLogger($db, 1, 'oc_');
        $transport = new FakeTransport($responses);
        $sleeps = new \ArrayObject();
        $client = \Mestech\Api\Factory::create($code, $settings, $logger, $transport, function ($seconds) use ($sleeps) {
            $sleeps[] = $seconds;
        });
        return array($client, $transport, $db, $sleeps);
    }

    public static function eq($expected, $actual, string $message = ''): void
    {
        if ($expected !== $actual) {
            throw new AssertionFailed(($message !== '' ? $message . ': ' : '') . 'expected ' . var_export($expected, true) . ', got ' . var_export($actual, true));
        }
    }

    public static function true($value, string $message = ''): void
    {
        if ($value !== true) {
            throw new AssertionFailed($message !== '' ? $message : 'expected true');
        }
    }

    public static function contains(string $needle, string $haystack, string $message = ''): void
    {
        if (strpos($haystack, $needle) === false) {
            throw new AssertionFailed(($message !== '' ? $message . ': ' : '') . var_export($needle, true) . ' not found in ' . var_export(substr($haystack, 0, 400), true));
        }
    }

    /** Runs $fn, which must throw ApiException; returns it. */
    public static function throws(callable $fn, ?int $code = null): \Mestech\Api\ApiException
    {
        try {
            $fn();
        } catch (\Mestech\Api\ApiException $e) {
            if ($code !== null && $e->getCode() !== $code) {
                throw new AssertionFailed('ApiException code ' . $e->getCode() . ' instead of ' . $code . ': ' . $e->getMessage());
            }
            return $e;
        }
        throw new AssertionFailed('ApiException expected');
    }

    /** Keys of a normalized order, with types. */
    public static function assertOrderShape(array $order): void
    {
        foreach (array('marketplace_order_id', 'order_number', 'date_added', 'status', 'currency') as $key) {
            self::true(isset($order[$key]) && is_string($order[$key]), 'order.' . $key . ' must be a string');
        }
        self::true(is_float($order['total']), 'order.total must be a float');
        self::true((bool) preg_match('/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/', $order['date_added']), 'date_added format');
        foreach (array('firstname', 'lastname', 'email', 'telephone') as $key) {
            self::true(is_string($order['customer'][$key]), 'customer.' . $key);
        }
        foreach (array('firstname', 'lastname', 'address_1', 'address_2', 'city', 'postcode', 'country_iso2', 'zone') as $key) {
            self::true(is_string($order['shipping_address'][$key]), 'shipping_address.' . $key);
        }
        foreach ($order['lines'] as $line) {
            self::true(is_string($line['sku']) && is_string($line['name']), 'line sku/name');
            self::true(is_int($line['quantity']), 'line quantity int');
            self::true(is_float($line['price']), 'line price float');
        }
    }

    public static function sampleProduct(array $attributes = array()): array
    {
        return array(
            'product_id' => 42,
            'sku' => 'MS-TSHIRT-01',
            'model' => 'MS-TSHIRT',
            'name' => 'Pamuklu Tişört – Mavi',
            'description' => '<p>%100 pamuk tişört</p>',
            'price' => 249.9,
            'quantity' => 12,
            'currency' => 'TRY',
            'barcode' => '8690000000017',
            'brand' => 'MesTech',
            'images' => array('https://shop.example.com/image/tshirt-1.jpg', 'https://shop.example.com/image/tshirt-2.jpg'),
            'category' => 'Giyim > Tişört',
            'attributes' => $attributes,
        );
    }
}

foreach (glob(__DIR__ . '/cases/*.php') as $file) {
    require $file;
}

$passed = 0;
$failed = 0;
$skipped = 0;
foreach (T::$tests as $test) {
    list($name, $fn) = $test;
    try {
        $fn();
        $passed++;
        echo "ok    $name\n";
    } catch (SkipTest $e) {
        $skipped++;
        echo "skip  $name: " . $e->getMessage() . "\n";
    } catch (\Throwable $e) {
        $failed++;
        echo "FAIL  $name: " . get_class($e) . ': ' . $e->getMessage() . ' (' . basename($e->getFile()) . ':' . $e->getLine() . ")\n";
    }
}
if ($skipped) {
    echo $skipped . " skipped\n";
}
echo $passed . ' passed, ' . $failed . " failed\n";
exit($failed > 0 ? 1 : 0);
