"""Template helpers for Bootstrap form fields: classes and ARIA wiring in one place."""

from django import forms, template

register = template.Library()


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def bs_widget(bound_field):
    """Render a field's widget with Bootstrap's class, and tie its error text to it for screen readers."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):  # also CheckboxSelectMultiple: the class lands on the list too
        css = "choice-list"
    elif isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if bound_field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described = [f"{bound_field.auto_id}_error"]
        if bound_field.help_text:
            described.append(f"{bound_field.auto_id}_helptext")
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)
