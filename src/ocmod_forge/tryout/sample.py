"""A product and an order in a fresh store, so that the product form and the order info page
(where packages usually add tabs and panels) can be opened. OpenCart's sample data brings
products but no orders; the order is written with the columns this release's table has."""

from __future__ import annotations

from .store import Store


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _max(store: Store, table: str, column: str) -> int:
    return int(store.query(f"SELECT MAX(`{column}`) AS id FROM {store.table(table)}")[0]["id"] or 0)


def ensure_product(store: Store) -> int:
    """The first enabled product, created when the store has none."""
    t = store.table
    rows = store.query(f"SELECT product_id FROM {t('product')} WHERE status = 1 ORDER BY product_id LIMIT 1")
    if rows:
        return int(rows[0]["product_id"] or 0)
    store.execute(f"INSERT INTO {t('product')} SET model = 'TRY-1', quantity = 10, price = '10.0000', status = 1, date_added = NOW(), date_modified = NOW()")
    product_id = _max(store, "product", "product_id")
    store.execute(
        f"INSERT INTO {t('product_description')} SET product_id = {product_id}, language_id = 1, name = 'Try product'",
        f"INSERT INTO {t('product_to_store')} SET product_id = {product_id}, store_id = 0",
    )
    return product_id


def ensure_order(store: Store, product_id: int, json_methods: bool) -> int:
    """The first order, created (one product, totals, a history line) when the store has none.
    ``json_methods``: 4.0.2.0+ store payment/shipping methods as JSON."""
    t = store.table
    rows = store.query(f"SELECT order_id FROM {t('order')} ORDER BY order_id LIMIT 1")
    if rows:
        return int(rows[0]["order_id"] or 0)
    columns = {str(r["c"]) for r in store.query(f"SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{store.prefix}order'")}
    values = {
        "invoice_prefix": "INV-TRY-00", "store_id": "0", "store_name": "Your Store", "store_url": store.url,
        "customer_id": "0", "customer_group_id": "1", "firstname": "Try", "lastname": "Customer",
        "email": "customer@example.com", "telephone": "0123456789", "custom_field": "[]",
        "payment_firstname": "Try", "payment_lastname": "Customer", "payment_address_1": "1 Test Street",
        "payment_city": "London", "payment_postcode": "SW1A 1AA", "payment_country": "United Kingdom",
        "payment_country_id": "222", "payment_zone": "Greater London", "payment_zone_id": "3563",
        "payment_custom_field": "[]",
        "payment_method": '{"name":"Cash On Delivery","code":"cod.cod"}' if json_methods else "Cash On Delivery",
        "payment_code": "cod",
        "shipping_firstname": "Try", "shipping_lastname": "Customer", "shipping_address_1": "1 Test Street",
        "shipping_city": "London", "shipping_postcode": "SW1A 1AA", "shipping_country": "United Kingdom",
        "shipping_country_id": "222", "shipping_zone": "Greater London", "shipping_zone_id": "3563",
        "shipping_custom_field": "[]",
        "shipping_method": '{"name":"Flat Shipping Rate","code":"flat.flat","cost":5,"tax_class_id":0}' if json_methods else "Flat Shipping Rate",
        "shipping_code": "flat.flat", "comment": "", "total": "105.0000", "order_status_id": "1",
        "language_id": "1", "language_code": "en-gb", "currency_id": "2", "currency_code": "USD",
        "currency_value": "1.00000000", "ip": "127.0.0.1", "user_agent": "ocmod-forge", "accept_language": "en",
    }  # fmt: skip
    assignments = ", ".join(f"`{k}` = '{_esc(v)}'" for k, v in values.items() if k in columns)
    store.execute(f"INSERT INTO {t('order')} SET {assignments}, date_added = NOW(), date_modified = NOW()")
    order_id = _max(store, "order", "order_id")
    name = store.query(f"SELECT name FROM {t('product_description')} WHERE product_id = {product_id} LIMIT 1")
    product = _esc(str(name[0]["name"] if name else "Product"))
    store.execute(
        f"INSERT INTO {t('order_product')} SET order_id = {order_id}, product_id = {product_id}, name = '{product}', model = 'Product', "
        "quantity = 1, price = '100.0000', total = '100.0000', tax = '0.0000', reward = 0",
        f"INSERT INTO {t('order_total')} SET order_id = {order_id}, code = 'sub_total', title = 'Sub-Total', value = '100.0000', sort_order = 1",
        f"INSERT INTO {t('order_total')} SET order_id = {order_id}, code = 'shipping', title = 'Flat Shipping Rate', value = '5.0000', sort_order = 3",
        f"INSERT INTO {t('order_total')} SET order_id = {order_id}, code = 'total', title = 'Total', value = '105.0000', sort_order = 9",
        f"INSERT INTO {t('order_history')} SET order_id = {order_id}, order_status_id = 1, notify = 0, comment = '', date_added = NOW()",
    )
    return order_id
