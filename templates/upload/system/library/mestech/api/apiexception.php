<?php
namespace Mestech\Api;

/**
 * Raised for every failed marketplace call. getCode() is the HTTP status of the failing response,
 * 0 when no HTTP response was received (DNS, TLS, timeout) or the request could not be built.
 */
class ApiException extends \Exception
{
    /** @var string */
    private $marketplace;

    /** @var string */
    private $responseBody;

    public function __construct(string $message, int $code = 0, string $marketplace = '', string $responseBody = '', ?\Throwable $previous = null)
    {
        parent::__construct($message, $code, $previous);
        $this->marketplace = $marketplace;
        $this->responseBody = $responseBody;
    }

    public function getMarketplace(): string
    {
        return $this->marketplace;
    }

    /** Raw body of the failing response (may be empty). */
    public function getResponseBody(): string
    {
        return $this->responseBody;
    }
}
