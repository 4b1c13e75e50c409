<?php
namespace Mestech\Api;

/**
 * HTTP over cURL. TLS peer and host verification are always on; there is no option to turn them off.
 */
class CurlTransport implements TransportInterface
{
    public function send(string $method, string $url, array $headers, ?string $body = null, array $options = array()): array
    {
        if (!function_exists('curl_init')) {
            throw new ApiException('The PHP curl extension is not installed', 0);
        }
        $timeout = isset($options['timeout']) ? max(1, (int) $options['timeout']) : 30;
        $connectTimeout = isset($options['connect_timeout']) ? max(1, (int) $options['connect_timeout']) : min(10, $timeout);

        $responseHeaders = array();
        $ch = curl_init();
        curl_setopt($ch, CURLOPT_URL, $url);
        curl_setopt($ch, CURLOPT_CUSTOMREQUEST, strtoupper($method));
        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
        curl_setopt($ch, CURLOPT_HTTPHEADER, $headers);
        curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);
        curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);
        curl_setopt($ch, CURLOPT_CONNECTTIMEOUT, $connectTimeout);
        curl_setopt($ch, CURLOPT_TIMEOUT, $timeout);
        curl_setopt($ch, CURLOPT_FOLLOWLOCATION, false);
        curl_setopt($ch, CURLOPT_PROTOCOLS, CURLPROTO_HTTPS | CURLPROTO_HTTP);
        curl_setopt($ch, CURLOPT_ENCODING, '');
        if ($body !== null) {
            curl_setopt($ch, CURLOPT_POSTFIELDS, $body);
        }
        curl_setopt($ch, CURLOPT_HEADERFUNCTION, function ($handle, $line) use (&$responseHeaders) {
            $parts = explode(':', $line, 2);
            if (count($parts) === 2) {
                $responseHeaders[strtolower(trim($parts[0]))] = trim($parts[1]);
            }
            return strlen($line);
        });

        $responseBody = curl_exec($ch);
        $errno = curl_errno($ch);
        $error = curl_error($ch);
        $status = (int) curl_getinfo($ch, CURLINFO_HTTP_CODE);
        if (PHP_VERSION_ID < 80000) {
            curl_close($ch);
        }

        if ($responseBody === false || $errno) {
            throw new ApiException('HTTP transport error (cURL ' . $errno . '): ' . $error, 0);
        }

        return array('status' => $status, 'headers' => $responseHeaders, 'body' => (string) $responseBody);
    }
}
