/* MesChain Sync admin helpers (jQuery, Bootstrap 3 as shipped with the OpenCart 3 admin). */
var MesChain = (function ($) {
	'use strict';

	function escapeHtml(text) {
		return $('<div/>').text(text === undefined || text === null ? '' : String(text)).html();
	}

	function alert(container, type, message) {
		var icon = type === 'success' ? 'fa-check-circle' : 'fa-exclamation-circle';

		$(container).prepend('<div class="alert alert-' + type + ' alert-dismissible"><i class="fa ' + icon + '"></i> ' + escapeHtml(message) + ' <button type="button" class="close" data-dismiss="alert">&times;</button></div>');
	}

	/**
	 * POST to an admin JSON endpoint; shows the answer as an OpenCart alert.
	 * button: the clicked button (loading state); container: where alerts go.
	 */
	function post(url, data, button, container, done) {
		$.ajax({
			url: url,
			type: 'post',
			data: data || {},
			dataType: 'json',
			beforeSend: function () {
				$(button).button('loading');
			},
			complete: function () {
				$(button).button('reset');
			},
			success: function (json) {
				$(container).find('.alert-dismissible').remove();

				if (json.error) {
					alert(container, 'danger', json.error);
				}

				if (json.success) {
					alert(container, 'success', json.success);
				}

				if (typeof done === 'function') {
					done(json);
				}
			},
			error: function (xhr, ajaxOptions, thrownError) {
				alert(container, 'danger', thrownError + ' ' + xhr.statusText);
			}
		});
	}

	function plot(selector, series) {
		if (!$.plot || !$(selector).length) {
			return;
		}

		$.plot(selector, series, {
			series: {
				lines: { show: true, fill: false },
				points: { show: true }
			},
			xaxis: { mode: null, tickFormatter: function (value) { var d = new Date(value); return (d.getMonth() + 1) + '/' + d.getDate(); } },
			yaxis: { min: 0, tickDecimals: 0 },
			grid: { hoverable: true, borderWidth: 1, borderColor: '#ddd' },
			legend: { show: true, position: 'nw' }
		});
	}

	return {
		escapeHtml: escapeHtml,
		alert: alert,
		post: post,
		plot: plot
	};
})(jQuery);
