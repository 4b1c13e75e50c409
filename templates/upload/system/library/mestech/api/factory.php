<?php
namespace Mestech\Api;

/**
 * Creates the client of a marketplace. Only the marketplaces enabled in the project file have a
 * client file in the package; asking for another one throws ApiException.
 */
class Factory
{
    const KNOWN = array('amazon', 'trendyol', 'n11', 'hepsiburada', 'ebay', 'gittigidiyor', 'pazarama', 'pttavm');

    /**
     * @param TransportInterface|callable|null $transport for tests; default cURL
     * @param callable|null $sleeper for tests; default usleep
     */
    public static function create(string $code, array $settings, DbLogger $logger, $transport = null, ?callable $sleeper = null): ClientInterface
    {
        $code = strtolower(trim($code));
        if (!preg_match('/^[a-z0-9_]+$/', $code)) {
            $logger->log('error', 'api', 'factory', 'Invalid marketplace code: ' . $code);
            throw new ApiException('Invalid marketplace code: ' . $code, 0, $code);
        }
        $class = __NAMESPACE__ . '\\' . self::className($code);
        $file = __DIR__ . '/' . $code . '.php';
        if (!class_exists($class, false)) {
            if (!is_file($file)) {
                $message = in_array($code, self::KNOWN, true)
                    ? 'The ' . $code . ' client is not installed (the marketplace is disabled in this package)'
                    : 'Unknown marketplace: ' . $code;
                $logger->log('error', 'api', 'factory', $message, array(), $code);
                throw new ApiException($message, 0, $code);
            }
            require_once $file;
        }
        if (!class_exists($class, false) || !is_subclass_of($class, __NAMESPACE__ . '\\ClientInterface')) {
            $logger->log('error', 'api', 'factory', 'No client class ' . $class, array(), $code);
            throw new ApiException('No client class ' . $class, 0, $code);
        }
        return new $class($settings, $logger, $transport, $sleeper);
    }

    /** Marketplace codes whose client is installed. */
    public static function available(): array
    {
        $codes = array();
        foreach (self::KNOWN as $code) {
            if (is_file(__DIR__ . '/' . $code . '.php')) {
                $codes[] = $code;
            }
        }
        return $codes;
    }

    /** "pttavm" -> "Pttavm", "my_shop" -> "MyShop" (same rule as the template filter camel). */
    public static function className(string $code): string
    {
        return str_replace(' ', '', ucwords(str_replace('_', ' ', $code)));
    }
}
