DROP TABLE IF EXISTS `{DB_PREFIX}meschain_logs`;
DROP TABLE IF EXISTS `{DB_PREFIX}meschain_ai_analytics`;
DROP TABLE IF EXISTS `{DB_PREFIX}meschain_order_integration`;
DROP TABLE IF EXISTS `{DB_PREFIX}meschain_product_sync`;
DROP TABLE IF EXISTS `{DB_PREFIX}meschain_settings`;
