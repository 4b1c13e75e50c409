<?php
namespace Mestech\Api;

/**
 * One HTTP exchange. Tests inject a fake (or a callable, see CallableTransport) so nothing reaches
 * the network.
 */
interface TransportInterface
{
    /**
     * @param array $headers list of "Name: value" strings
     * @param array $options 'timeout' (int seconds, total), 'connect_timeout' (int seconds)
     * @return array ['status' => int, 'headers' => array (lower-case name => value), 'body' => string]
     * @throws ApiException code 0 when no HTTP response was received
     */
    public function send(string $method, string $url, array $headers, ?string $body = null, array $options = array()): array;
}
