<?php
// MesChain-Sync Enterprise 3.1.1 - admin language (en-gb): settings
$_['heading_title'] = 'Settings';
$_['text_credentials'] = 'API credentials';
$_['text_not_set'] = 'not set';
$_['text_clear_value'] = 'Remove the stored value';
$_['text_connection_ok'] = 'Connection successful. %s';
$_['entry_module_status'] = 'Module status';
$_['entry_base_url'] = 'API base URL';
$_['help_base_url'] = 'HTTPS only. Default:';
$_['entry_timeout'] = 'Timeout (seconds)';
$_['help_credentials'] = 'Stored encrypted with the store encryption key. Saved values are never shown; leave a field blank to keep its value.';
$_['help_test'] = 'Tests the saved credentials: save first.';
$_['button_test'] = 'Test connection';
$_['error_base_url'] = 'Enter a valid HTTPS URL!';
$_['error_timeout'] = 'Timeout must be between 5 and 120 seconds!';
$_['error_credential'] = 'Invalid value!';
$_['text_unavailable'] = 'Not included in this package:';
$_['error_encryption'] = 'Warning: the store encryption key is empty (System > Settings > Server > Encryption Key); credentials cannot be stored.';
$_['error_connection'] = 'Connection failed: %s';

