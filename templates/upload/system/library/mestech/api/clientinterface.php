<?php
namespace Mestech\Api;

/**
 * The one interface every marketplace client implements.
 *
 * Settings given to a client: 'base_url', 'timeout' (seconds) and the credential keys of that
 * marketplace (decrypted). Every failure throws ApiException: getCode() is the HTTP status, or 0
 * for a transport error (no HTTP response) or a request that could not be built.
 */
interface ClientInterface
{
    /** Marketplace code, e.g. "trendyol". */
    public function getCode(): string;

    /** @return array ['ok' => bool, 'message' => string] */
    public function testConnection(): array;

    /**
     * @param array $product product_id, sku, model, name, description, price (float), quantity (int),
     *                       currency, barcode, brand, images (list of URLs), category (string), attributes (array)
     * @return array ['marketplace_product_id' => string, 'sku' => string, 'status' => string, 'raw' => array]
     */
    public function upsertProduct(array $product): array;

    /** @return array ['sku' => string, 'status' => string, 'raw' => array] */
    public function updateStockPrice(string $sku, int $quantity, float $price): array;

    /**
     * @param string $sinceIso8601 e.g. "2024-05-01T00:00:00Z"
     * @return array list of normalized orders: marketplace_order_id, order_number, date_added ('Y-m-d H:i:s'),
     *               status, currency, total (float), customer [firstname, lastname, email, telephone],
     *               shipping_address [firstname, lastname, address_1, address_2, city, postcode, country_iso2, zone],
     *               lines [list of: sku, name, quantity (int), price (float), marketplace_line_id]
     */
    public function fetchOrders(string $sinceIso8601): array;

    /**
     * @param array $lines optional list of ['marketplace_line_id' => string, 'quantity' => int, 'sku' => string]
     * @return array ['marketplace_order_id' => string, 'status' => string, 'raw' => array]
     */
    public function pushShipment(string $marketplaceOrderId, string $carrier, string $trackingNumber, array $lines = []): array;
}
