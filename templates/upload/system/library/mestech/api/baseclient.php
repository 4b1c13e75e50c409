<?php
namespace Mestech\Api;

/**
 * Shared HTTP plumbing for every marketplace client: base URL and timeouts from the settings,
 * retries with exponential backoff (honouring Retry-After) on 429, 5xx and transport errors,
 * every failure logged through DbLogger and rethrown as ApiException.
 */
abstract class BaseClient implements ClientInterface
{
    const USER_AGENT = 'MesChain-Sync/3.1 (OpenCart; PHP)';
    const MAX_RETRY_AFTER = 120;

    /** @var array */
    protected $settings;

    /** @var DbLogger */
    protected $logger;

    /** @var TransportInterface */
    protected $transport;

    /** @var callable function (float $seconds): void */
    protected $sleeper;

    /** @var string */
    protected $baseUrl;

    /** @var int */
    protected $timeout;

    /** @var int */
    protected $connectTimeout;

    /** @var int */
    protected $maxAttempts;

    /** @var float */
    protected $backoffBase;

    /**
     * @param TransportInterface|callable|null $transport default: CurlTransport
     * @param callable|null $sleeper function (float $seconds): void, default: usleep
     */
    public function __construct(array $settings, DbLogger $logger, $transport = null, ?callable $sleeper = null)
    {
        $this->settings = $settings;
        $this->logger = $logger;
        if ($transport === null) {
            $transport = new CurlTransport();
        } elseif (!$transport instanceof TransportInterface) {
            if (!is_callable($transport)) {
                throw new ApiException('Transport must implement TransportInterface or be callable', 0, $this->getCode());
            }
            $transport = new CallableTransport($transport);
        }
        $this->transport = $transport;
        $this->sleeper = $sleeper !== null ? $sleeper : function ($seconds) {
            usleep((int) round($seconds * 1000000));
        };
        $base = isset($settings['base_url']) && trim((string) $settings['base_url']) !== '' ? (string) $settings['base_url'] : $this->defaultBaseUrl();
        $this->baseUrl = rtrim(trim($base), '/');
        $this->timeout = isset($settings['timeout']) && (int) $settings['timeout'] > 0 ? (int) $settings['timeout'] : 30;
        $this->connectTimeout = isset($settings['connect_timeout']) && (int) $settings['connect_timeout'] > 0 ? (int) $settings['connect_timeout'] : min(10, $this->timeout);
        $this->maxAttempts = isset($settings['max_attempts']) ? max(1, min(10, (int) $settings['max_attempts'])) : 4;
        $this->backoffBase = isset($settings['backoff_base']) ? max(0.0, (float) $settings['backoff_base']) : 1.0;
    }

    /** Base URL used when the settings give none (the project file's value). */
    abstract protected function defaultBaseUrl(): string;

    public function getBaseUrl(): string
    {
        return $this->baseUrl;
    }

    // ------------------------------------------------------------------ HTTP

    /**
     * Sends one request, retrying on 429, 5xx and transport errors; throws ApiException for any
     * final failure (after logging it). 2xx responses are returned.
     *
     * @param array $headers list of "Name: value"
     * @param array $acceptStatuses non-2xx statuses returned instead of thrown (e.g. 404 meaning "none")
     * @return array ['status' => int, 'headers' => array, 'body' => string]
     */
    protected function send(string $method, string $url, array $headers, ?string $body, string $action, array $acceptStatuses = array()): array
    {
        $headers = $this->withUserAgent($headers);
        $attempt = 0;
        $started = microtime(true);
        while (true) {
            $attempt++;
            $response = null;
            $error = null;
            try {
                $response = $this->transport->send($method, $url, $headers, $body, array(
                    'timeout' => $this->timeout,
                    'connect_timeout' => $this->connectTimeout,
                ));
            } catch (ApiException $e) {
                $error = $e;
            } catch (\Throwable $e) {
                $error = new ApiException('HTTP transport error: ' . $e->getMessage(), 0, $this->getCode(), '', $e);
            }

            if ($error === null && (($response['status'] >= 200 && $response['status'] < 300) || in_array((int) $response['status'], $acceptStatuses, true))) {
                return $response;
            }

            $status = $error === null ? (int) $response['status'] : 0;
            $retryable = $error !== null || $status === 429 || $status >= 500;
            if ($retryable && $attempt < $this->maxAttempts) {
                $delay = $this->retryDelay($attempt, $response === null ? array() : $response['headers']);
                $this->logger->log('warning', 'api', $action, sprintf('%s %s: %s; retry %d of %d in %.1fs', $method, $this->redactUrl($url), $error !== null ? $error->getMessage() : 'HTTP ' . $status, $attempt, $this->maxAttempts - 1, $delay), array(), $this->getCode());
                call_user_func($this->sleeper, $delay);
                continue;
            }

            if ($error === null) {
                $error = new ApiException($this->errorMessage($status, $response['body']), $status, $this->getCode(), $response['body']);
            } elseif ($error->getMarketplace() === '') {
                $error = new ApiException($error->getMessage(), $error->getCode(), $this->getCode(), $error->getResponseBody(), $error);
            }
            $this->logger->log('error', 'api', $action, $error->getMessage(), array(
                'method' => $method,
                'url' => $this->redactUrl($url),
                'status' => $status,
                'attempts' => $attempt,
                'response' => $this->truncate($response === null ? '' : $response['body']),
            ), $this->getCode(), '', 0, microtime(true) - $started);
            throw $error;
        }
    }

    /**
     * JSON request; returns the decoded response (empty array for an empty body).
     *
     * @param array|null $payload encoded as JSON when not null
     * @param array $acceptStatuses non-2xx statuses answered with an empty array
     */
    protected function json(string $method, string $url, array $headers, ?array $payload, string $action, array $acceptStatuses = array()): array
    {
        $body = null;
        if ($payload !== null) {
            $body = json_encode($payload, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
            if ($body === false) {
                throw $this->fail($action, 'Could not encode the request as JSON: ' . json_last_error_msg());
            }
            $headers[] = 'Content-Type: application/json';
        }
        $headers[] = 'Accept: application/json';
        $response = $this->send($method, $url, $headers, $body, $action, $acceptStatuses);
        if ($response['status'] < 200 || $response['status'] >= 300) {
            return array();
        }
        return $this->decode($response['body'], $action, $response['status']);
    }

    /** Decodes a JSON body; an empty body gives an empty array. */
    protected function decode(string $body, string $action, int $status = 200): array
    {
        if (trim($body) === '') {
            return array();
        }
        $data = json_decode($body, true);
        if (!is_array($data)) {
            throw $this->fail($action, 'Response is not valid JSON', $status, $body);
        }
        return $data;
    }

    /**
     * Logs an error and returns the exception for the caller to throw:
     * throw $this->fail('upsertProduct', 'message', 422);
     */
    protected function fail(string $action, string $message, int $status = 0, string $body = ''): ApiException
    {
        $this->logger->log('error', 'api', $action, $message, $body === '' ? array() : array('status' => $status, 'response' => $this->truncate($body)), $this->getCode());
        return new ApiException($message, $status, $this->getCode(), $body);
    }

    /** Seconds to wait before the next attempt. */
    protected function retryDelay(int $attempt, array $headers): float
    {
        if (isset($headers['retry-after'])) {
            $value = trim((string) $headers['retry-after']);
            if ($value !== '' && (bool) preg_match('/^\d+$/', $value)) {
                return (float) min(self::MAX_RETRY_AFTER, (int) $value);
            }
            $when = strtotime($value);
            if ($when !== false) {
                return (float) max(0, min(self::MAX_RETRY_AFTER, $when - time()));
            }
        }
        return min((float) self::MAX_RETRY_AFTER, $this->backoffBase * pow(2, $attempt - 1));
    }

    protected function errorMessage(int $status, string $body): string
    {
        $detail = '';
        $data = json_decode($body, true);
        if (is_array($data)) {
            foreach (array('message', 'error_description', 'errorMessage', 'error', 'title', 'detail') as $key) {
                if (isset($data[$key]) && is_string($data[$key]) && $data[$key] !== '') {
                    $detail = $data[$key];
                    break;
                }
            }
            if ($detail === '' && isset($data['errors']) && is_array($data['errors'])) {
                $first = reset($data['errors']);
                if (is_array($first)) {
                    foreach (array('message', 'longMessage', 'errorMessage', 'description') as $key) {
                        if (isset($first[$key]) && is_string($first[$key])) {
                            $detail = $first[$key];
                            break;
                        }
                    }
                } elseif (is_string($first)) {
                    $detail = $first;
                }
            }
        } elseif (trim($body) !== '') {
            $detail = trim(strip_tags($body));
        }
        $message = 'HTTP ' . $status;
        if ($detail !== '') {
            $message .= ': ' . $this->truncate($detail, 300);
        }
        return ucfirst($this->getCode()) . ' API error (' . $message . ')';
    }

    protected function withUserAgent(array $headers): array
    {
        foreach ($headers as $header) {
            if (stripos($header, 'user-agent:') === 0) {
                return $headers;
            }
        }
        $headers[] = 'User-Agent: ' . self::USER_AGENT;
        return $headers;
    }

    /** Removes credentials from URLs before they are logged. */
    protected function redactUrl(string $url): string
    {
        return (string) preg_replace('/((?:secret|password|token|key|sign)[^=&]*=)[^&]*/i', '$1***', $url);
    }

    protected function truncate(string $text, int $max = 2000): string
    {
        if (strlen($text) <= $max) {
            return $text;
        }
        return substr($text, 0, $max) . '...';
    }

    // ------------------------------------------------------------------ settings

    protected function setting(string $key, string $default = ''): string
    {
        if (!isset($this->settings[$key]) || is_array($this->settings[$key])) {
            return $default;
        }
        $value = trim((string) $this->settings[$key]);
        return $value === '' ? $default : $value;
    }

    /** Throws (and logs) when one of the credential keys is empty. */
    protected function requireSettings(array $keys, string $action): void
    {
        $missing = array();
        foreach ($keys as $key) {
            if ($this->setting($key) === '') {
                $missing[] = $key;
            }
        }
        if ($missing) {
            throw $this->fail($action, 'Missing ' . $this->getCode() . ' settings: ' . implode(', ', $missing));
        }
    }

    protected function basicAuth(string $user, string $password): string
    {
        return 'Authorization: Basic ' . base64_encode($user . ':' . $password);
    }

    // ------------------------------------------------------------------ normalization helpers

    /** Timestamp (seconds) from an ISO 8601 string; throws ApiException for an invalid date. */
    protected function parseSince(string $sinceIso8601, string $action): int
    {
        $ts = strtotime($sinceIso8601);
        if ($ts === false) {
            throw $this->fail($action, 'Invalid date: ' . $sinceIso8601);
        }
        return $ts;
    }

    /** 'Y-m-d H:i:s' from an ISO string, a Unix timestamp in seconds or milliseconds. */
    protected function toDate($value): string
    {
        if (is_int($value) || is_float($value) || (is_string($value) && preg_match('/^\d{9,}$/', $value))) {
            $number = (float) $value;
            if ($number > 100000000000) {
                $number = $number / 1000;
            }
            return date('Y-m-d H:i:s', (int) $number);
        }
        $ts = is_string($value) ? strtotime($value) : false;
        return $ts === false ? date('Y-m-d H:i:s') : date('Y-m-d H:i:s', $ts);
    }

    /** Splits "Ayşe Nur Yılmaz" into ['Ayşe Nur', 'Yılmaz']. */
    protected function splitName(string $name): array
    {
        $name = trim(preg_replace('/\s+/u', ' ', $name));
        if ($name === '') {
            return array('', '');
        }
        $pos = strrpos($name, ' ');
        if ($pos === false) {
            return array($name, '');
        }
        return array(substr($name, 0, $pos), substr($name, $pos + 1));
    }

    /** Fills every key of a normalized order with the right type. */
    protected function normalizeOrder(array $order): array
    {
        $customer = isset($order['customer']) && is_array($order['customer']) ? $order['customer'] : array();
        $address = isset($order['shipping_address']) && is_array($order['shipping_address']) ? $order['shipping_address'] : array();
        $lines = array();
        foreach (isset($order['lines']) && is_array($order['lines']) ? $order['lines'] : array() as $line) {
            $lines[] = array(
                'sku' => $this->str($line, 'sku'),
                'name' => $this->str($line, 'name'),
                'quantity' => isset($line['quantity']) ? (int) $line['quantity'] : 0,
                'price' => isset($line['price']) ? round((float) $line['price'], 4) : 0.0,
                'marketplace_line_id' => $this->str($line, 'marketplace_line_id'),
            );
        }
        return array(
            'marketplace_order_id' => $this->str($order, 'marketplace_order_id'),
            'order_number' => $this->str($order, 'order_number'),
            'date_added' => $this->str($order, 'date_added') !== '' ? $this->str($order, 'date_added') : date('Y-m-d H:i:s'),
            'status' => $this->str($order, 'status'),
            'currency' => strtoupper($this->str($order, 'currency')),
            'total' => isset($order['total']) ? round((float) $order['total'], 4) : 0.0,
            'customer' => array(
                'firstname' => $this->str($customer, 'firstname'),
                'lastname' => $this->str($customer, 'lastname'),
                'email' => $this->str($customer, 'email'),
                'telephone' => $this->str($customer, 'telephone'),
            ),
            'shipping_address' => array(
                'firstname' => $this->str($address, 'firstname'),
                'lastname' => $this->str($address, 'lastname'),
                'address_1' => $this->str($address, 'address_1'),
                'address_2' => $this->str($address, 'address_2'),
                'city' => $this->str($address, 'city'),
                'postcode' => $this->str($address, 'postcode'),
                'country_iso2' => strtoupper($this->str($address, 'country_iso2')),
                'zone' => $this->str($address, 'zone'),
            ),
            'lines' => $lines,
        );
    }

    /** String value of $data[$key] ('' when missing or not scalar). */
    protected function str(array $data, string $key): string
    {
        if (!isset($data[$key]) || is_array($data[$key]) || is_object($data[$key])) {
            return '';
        }
        return trim((string) $data[$key]);
    }

    /** Value at a dotted path of nested arrays, or $default. */
    protected function get(array $data, string $path, $default = null)
    {
        $current = $data;
        foreach (explode('.', $path) as $part) {
            if (!is_array($current) || !array_key_exists($part, $current)) {
                return $default;
            }
            $current = $current[$part];
        }
        return $current === null ? $default : $current;
    }

    /** Product field as string. */
    protected function productField(array $product, string $key): string
    {
        return $this->str($product, $key);
    }

    /** Product attribute (from $product['attributes']) as string. */
    protected function productAttribute(array $product, string $key, string $default = ''): string
    {
        if (!isset($product['attributes']) || !is_array($product['attributes'])) {
            return $default;
        }
        $value = $this->str($product['attributes'], $key);
        return $value === '' ? $default : $value;
    }

    /** List of image URLs of a product. */
    protected function productImages(array $product): array
    {
        $images = array();
        if (isset($product['images']) && is_array($product['images'])) {
            foreach ($product['images'] as $image) {
                if (is_string($image) && trim($image) !== '') {
                    $images[] = trim($image);
                }
            }
        }
        return $images;
    }

    /** SKU sent to the marketplace: the product's sku, else its model. */
    protected function productSku(array $product, string $action): string
    {
        $sku = $this->productField($product, 'sku');
        if ($sku === '') {
            $sku = $this->productField($product, 'model');
        }
        if ($sku === '') {
            throw $this->fail($action, 'The product has neither SKU nor model');
        }
        return $sku;
    }
}
