// Filter forms: leave empty fields out of the URL so a shared link shows only the filters in use.
// Without JavaScript the form still submits every field, and the page reads it the same way.
document.querySelectorAll('form[data-module="workspace-filters"]').forEach(function (form) {
  form.addEventListener('submit', function () {
    form.querySelectorAll('input[name], select[name]').forEach(function (field) {
      if (field.type !== 'checkbox' && field.value === '') { field.disabled = true; }
    });
  });
});
