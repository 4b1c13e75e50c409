<?php
// Runs the refresh() method of a supplied OpenCart release on a list of cases.
//
// Usage: php runner.php RELEASE_ROOT CASES.json OUT.json WORKDIR
//
// Nothing of OpenCart is stored here: the method body of
// admin/controller/marketplace/modification.php::refresh() and the helper functions it calls
// (oc_glob, safe_glob) are read from RELEASE_ROOT with PHP's tokenizer when this script runs,
// and evaluated inside a small class whose collaborators are stubs defined below.

namespace Opencart\System\Library {
	// 4.x writes the log through this class.
	class Log {
		public function __construct(string $filename) {}
		public function write($message): void { \HarnessLog::$text = (string)$message; }
	}
}

namespace {
	// 3.0 writes the log through this class.
	class Log {
		public function __construct($filename) {}
		public function write($message) { HarnessLog::$text = (string)$message; }
	}

	final class HarnessLog {
		public static ?string $text = null;
	}

	// Thrown by the stub redirect: 3.0's real Response::redirect() exits the script.
	final class HarnessStop extends Exception {}

	// Any collaborator the method touches that does not matter here: language, document,
	// config, settings model, session, request, url, user (every permission granted).
	class HarnessStub {
		public array $get = [];
		public array $data = [];
		public function __get($name) { return new HarnessStub(); }
		public function __call($name, $arguments) {
			if ($name === 'redirect') {
				throw new HarnessStop();
			}
			if ($name === 'get' || $name === 'link') {
				return '';
			}
			return true;
		}
	}

	// The modification model: the enabled rows, in the order the case lists them.
	final class HarnessModificationModel {
		public static array $rows = [];
		public function getModifications($data = []) { return self::$rows; }
	}

	abstract class HarnessControllerBase {
		public $load;
		public $document;
		public $language;
		public $config;
		public $model_setting_setting;
		public $model_setting_modification;
		public $session;
		public $request;
		public $response;
		public $url;
		public $user;
		public $error = [];

		public function __construct() {
			foreach (['load', 'document', 'language', 'config', 'model_setting_setting', 'session', 'request', 'response', 'url', 'user'] as $name) {
				$this->$name = new HarnessStub();
			}
			$this->model_setting_modification = new HarnessModificationModel();
		}

		protected function validate() { return true; }
		protected function getList() {}
		public function __get($name) { return new HarnessStub(); }
	}

	/** Source text of the function or method $name (first match) among $tokens, or null. */
	function harness_extract(array $tokens, string $name): ?string {
		$count = count($tokens);
		for ($i = 0; $i < $count; $i++) {
			if (!is_array($tokens[$i]) || $tokens[$i][0] !== T_FUNCTION) {
				continue;
			}
			$j = $i + 1;
			while ($j < $count && is_array($tokens[$j]) && $tokens[$j][0] === T_WHITESPACE) {
				$j++;
			}
			if (!is_array($tokens[$j]) || $tokens[$j][0] !== T_STRING || strcasecmp($tokens[$j][1], $name) !== 0) {
				continue;
			}
			// Modifiers before `function` (public, protected, static) are left out on purpose.
			$text = '';
			$depth = 0;
			$opened = false;
			for ($k = $i; $k < $count; $k++) {
				$token = $tokens[$k];
				$piece = is_array($token) ? $token[1] : $token;
				$text .= $piece;
				if ($piece === '{' || (is_array($token) && ($token[0] === T_CURLY_OPEN || $token[0] === T_DOLLAR_OPEN_CURLY_BRACES))) {
					$depth++;
					$opened = true;
				} elseif ($piece === '}') {
					$depth--;
					if ($opened && $depth === 0) {
						return $text;
					}
				}
			}
		}
		return null;
	}

	/** Names called as plain functions in $code. */
	function harness_called_functions(string $code): array {
		$tokens = token_get_all('<?php ' . $code);
		$names = [];
		$count = count($tokens);
		for ($i = 0; $i < $count; $i++) {
			if (is_array($tokens[$i]) && $tokens[$i][0] === T_STRING) {
				$prev = $i - 1;
				while ($prev >= 0 && is_array($tokens[$prev]) && $tokens[$prev][0] === T_WHITESPACE) {
					$prev--;
				}
				if ($prev >= 0 && is_array($tokens[$prev]) && in_array($tokens[$prev][0], [T_OBJECT_OPERATOR, T_DOUBLE_COLON, T_FUNCTION, T_NEW, T_NULLSAFE_OBJECT_OPERATOR], true)) {
					continue;
				}
				$next = $i + 1;
				while ($next < $count && is_array($tokens[$next]) && $tokens[$next][0] === T_WHITESPACE) {
					$next++;
				}
				if ($next < $count && $tokens[$next] === '(') {
					$names[$tokens[$i][1]] = true;
				}
			}
		}
		return array_keys($names);
	}

	function harness_rmtree(string $path): void {
		if (is_link($path) || is_file($path)) {
			unlink($path);
			return;
		}
		if (!is_dir($path)) {
			return;
		}
		foreach (scandir($path) as $entry) {
			if ($entry !== '.' && $entry !== '..') {
				harness_rmtree($path . '/' . $entry);
			}
		}
		rmdir($path);
	}

	function harness_read_tree(string $base, string $prefix, array &$out): void {
		if (!is_dir($base)) {
			return;
		}
		$entries = scandir($base);
		foreach ($entries as $entry) {
			if ($entry === '.' || $entry === '..') {
				continue;
			}
			$path = $base . '/' . $entry;
			if (is_dir($path)) {
				harness_read_tree($path, $prefix . $entry . '/', $out);
			} elseif ($prefix . $entry !== 'index.html') {
				$text = file_get_contents($path);
				// JSON holds UTF-8 only: other bytes (a byte-wise regex splitting a character) as base64
				$out[$prefix . $entry] = preg_match('//u', $text) ? $text : ['base64' => base64_encode($text)];
			}
		}
	}

	[$script, $release, $casesFile, $outFile, $work] = $argv;
	$release = rtrim($release, '/') . '/';
	$work = rtrim($work, '/') . '/';

	$controller = @file_get_contents($release . 'admin/controller/marketplace/modification.php');
	if ($controller === false) {
		fwrite(STDERR, "no admin/controller/marketplace/modification.php in $release\n");
		exit(2);
	}
	$method = harness_extract(token_get_all($controller), 'refresh');
	if ($method === null) {
		fwrite(STDERR, "no refresh() method in $release" . "admin/controller/marketplace/modification.php\n");
		exit(2);
	}
	// Helpers from the release's system/helper/*.php that refresh() calls (oc_glob, safe_glob).
	foreach (harness_called_functions($method) as $name) {
		if (function_exists($name)) {
			continue;
		}
		foreach (glob($release . 'system/helper/*.php') as $helper) {
			$source = harness_extract(token_get_all(file_get_contents($helper)), $name);
			if ($source !== null) {
				eval($source);
				break;
			}
		}
	}
	eval('final class HarnessController extends HarnessControllerBase { public ' . $method . ' }');

	$root = $work . 'upload/';
	define('DIR_OPENCART', $root);
	define('DIR_APPLICATION', $root . 'admin/');
	define('DIR_CATALOG', $root . 'catalog/');
	define('DIR_SYSTEM', $root . 'system/');
	define('DIR_EXTENSION', $root . 'extension/');
	define('DIR_STORAGE', $work . 'storage/');
	define('DIR_LOGS', $work . 'storage/logs/');
	define('DIR_MODIFICATION', $work . 'modification/');
	$output = str_contains($method, 'DIR_MODIFICATION') ? DIR_MODIFICATION : DIR_EXTENSION . 'ocmod/';

	// OpenCart's handler logs or prints notices, warnings and deprecations and carries on.
	set_error_handler(function ($code, $message, $file, $line) { return true; });

	$cases = json_decode(file_get_contents($casesFile), true, 512, JSON_THROW_ON_ERROR);
	$results = [];
	foreach ($cases as $name => $case) {
		if (empty($case['tree'])) {
			// A store made of the case's files only; with 'tree' the release's own files stay.
			foreach (['admin', 'catalog', 'system', 'extension'] as $folder) {
				harness_rmtree($root . $folder);
				mkdir($root . $folder, 0777, true);
			}
			foreach ($case['files'] as $rel => $text) {
				@mkdir(dirname($root . $rel), 0777, true);
				file_put_contents($root . $rel, $text);
			}
		}
		harness_rmtree(DIR_MODIFICATION);
		mkdir(DIR_MODIFICATION, 0777, true);
		@mkdir(DIR_LOGS, 0777, true);
		@mkdir($output, 0777, true);
		HarnessModificationModel::$rows = [];
		foreach ($case['mods'] as $i => $xml) {
			HarnessModificationModel::$rows[] = ['modification_id' => $i + 1, 'status' => 1, 'xml' => $xml, 'name' => '', 'code' => ''];
		}
		HarnessLog::$text = null;
		$fatal = false;
		$started = microtime(true);
		try {
			(new HarnessController())->refresh();
		} catch (HarnessStop $stop) {
			// 3.0's redirect after a completed refresh.
		} catch (Throwable $error) {
			$fatal = true;
		}
		$elapsed = microtime(true) - $started;
		$files = [];
		if (!$fatal) {
			harness_read_tree(rtrim($output, '/'), '', $files);
			ksort($files, SORT_STRING);
		}
		$results[$name] = ['fatal' => $fatal, 'files' => $files, 'log' => $fatal ? '' : (string)HarnessLog::$text];
		if (getenv('HARNESS_TIMING')) {
			// seconds spent in refresh(): wiping the cache, applying, writing the files
			$results[$name]['seconds'] = $elapsed;
		}
	}
	ksort($results, SORT_STRING);
	$json = json_encode($results, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
	file_put_contents($outFile, $json . "\n");
}
