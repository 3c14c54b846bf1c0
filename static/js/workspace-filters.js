// Filter forms: leave empty fields out of the URL, so a shared link shows only the filters in use. The server
// reads a missing field as "any", as it does an empty one; without JavaScript the form submits every field.
// The address is built here rather than by disabling empty fields, which the back button would restore disabled.
document.querySelectorAll('form[data-module="workspace-filters"]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== '') { params.append(name, value); }
    });
    event.preventDefault();
    var query = params.toString();
    window.location.assign(form.action.split('?')[0] + (query ? '?' + query : ''));
  });
});
