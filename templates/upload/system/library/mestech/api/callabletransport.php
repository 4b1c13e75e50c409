<?php
namespace Mestech\Api;

/**
 * Adapts a callable function (string $method, string $url, array $headers, ?string $body, array $options): array
 * to TransportInterface.
 */
class CallableTransport implements TransportInterface
{
    /** @var callable */
    private $callable;

    public function __construct(callable $callable)
    {
        $this->callable = $callable;
    }

    public function send(string $method, string $url, array $headers, ?string $body = null, array $options = array()): array
    {
        $result = call_user_func($this->callable, $method, $url, $headers, $body, $options);
        if (!is_array($result)) {
            throw new ApiException('Transport returned no response', 0);
        }
        $headersOut = array();
        if (isset($result['headers']) && is_array($result['headers'])) {
            foreach ($result['headers'] as $name => $value) {
                $headersOut[strtolower((string) $name)] = (string) $value;
            }
        }
        return array(
            'status' => isset($result['status']) ? (int) $result['status'] : 0,
            'headers' => $headersOut,
            'body' => isset($result['body']) ? (string) $result['body'] : '',
        );
    }
}
