"""The screens of the browser, one module each. The app imports each one when it is first
opened (the meeting list must not wait for the item screen's markdown renderer), so this
package imports none of them."""
