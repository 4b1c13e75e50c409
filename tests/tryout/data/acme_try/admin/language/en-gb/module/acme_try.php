<?php
$_['heading_title']    = 'Acme Try';
$_['text_extension']   = 'Extensions';
$_['text_success']     = 'Success: You have modified Acme Try!';
$_['text_edit']        = 'Edit Acme Try';
$_['entry_status']     = 'Status';
$_['error_permission'] = 'Warning: You do not have permission to modify Acme Try!';
