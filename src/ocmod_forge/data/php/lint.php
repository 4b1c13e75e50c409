<?php
/**
 * `php -l` for many files in one PHP process: PHP's parser and compiler through OPcache, nothing
 * executed. Used by ocmod_forge.phpversions with a native PHP (argv: a JSON file listing paths)
 * and, one request per file, by the WebAssembly runner (php-wasm-run.mjs).
 *
 * Prints {"php": PHP_VERSION, "results": {path: null | [line, kind, message], ...},
 * "notes": {path: [[line, message], ...]}}: the error `php -l` would print, and the warnings and
 * deprecations it would print while still passing the file.
 */

function ocmod_forge_lint(array $paths)
{
    $results = array();
    $notes = array();
    foreach ($paths as $path) {
        error_clear_last();
        $error = null;
        // OPcache reports compile-time warnings and deprecations straight to the display, never to
        // a user error handler: they are read back from the output buffer. The handler only
        // keeps OPcache's own "could not compile" warning from replacing the compile error as
        // the last error.
        set_error_handler(function () {
            return true;
        });
        ob_start();
        try {
            $compiled = opcache_compile_file($path);
        } catch (ParseError $e) {
            $compiled = false;
            $error = array($e->getLine(), 'Parse error', $e->getMessage());
        } catch (Throwable $e) {
            $compiled = false;
            $error = array($e->getLine(), 'Fatal error', $e->getMessage());
        }
        $shown = ob_get_clean();
        restore_error_handler();
        $pattern = '/^(?:PHP )?(?:Deprecated|Warning|Notice|Strict Standards): (.*) in ' . preg_quote($path, '/') . ' on line (\d+)$/m';
        $found = array();
        if (preg_match_all($pattern, $shown, $matches, PREG_SET_ORDER)) {
            foreach ($matches as $match) {
                $found[] = array((int) $match[2], $match[1]);
            }
        }
        if ($compiled === false && $error === null) {
            // A compile error is fatal: handlers never see it, but OPcache survives it and PHP
            // keeps it as the last error.
            $last = error_get_last();
            if ($last !== null && $last['file'] === $path) {
                $kind = $last['type'] === E_PARSE ? 'Parse error' : 'Fatal error';
                $error = array($last['line'], $kind, $last['message']);
            } elseif (preg_match('/^(?:PHP )?(Parse error|Fatal error): (.*) in ' . preg_quote($path, '/') . ' on line (\d+)$/m', $shown, $match)) {
                $error = array((int) $match[3], $match[1], $match[2]);
            } else {
                $error = array(0, 'Fatal error', 'OPcache could not compile the file');
            }
        }
        $results[$path] = $error;
        if ($found) {
            $notes[$path] = $found;
        }
    }
    return array('php' => PHP_VERSION, 'results' => (object) $results, 'notes' => (object) $notes);
}

/** Errors shown on the output (read back by ocmod_forge_lint), each one, none logged. */
function ocmod_forge_lint_settings()
{
    error_reporting(E_ALL);
    ini_set('display_errors', '1');
    ini_set('html_errors', '0');
    ini_set('log_errors', '0');
    ini_set('ignore_repeated_errors', '0');
    ini_set('error_prepend_string', '');
    ini_set('error_append_string', '');
}

if (PHP_SAPI === 'cli' && isset($argv[1]) && realpath($argv[0]) === realpath(__FILE__)) {
    if (!function_exists('opcache_compile_file')) {
        fwrite(STDERR, "OPcache is not loaded; run with -d zend_extension=opcache\n");
        exit(2);
    }
    ocmod_forge_lint_settings();
    echo json_encode(ocmod_forge_lint(json_decode(file_get_contents($argv[1]), true)));
    exit(0);  // a compile error sets the exit status to 255 even though OPcache recovered
}
