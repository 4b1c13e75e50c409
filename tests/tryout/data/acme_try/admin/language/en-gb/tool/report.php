<?php
$_['heading_title'] = 'Acme Try Report';
$_['text_empty']    = 'No log entries yet.';
