import pytest

from comments.forms import CommentForm


def errors_for(data):
    form = CommentForm(data)
    assert not form.is_valid()
    return form.errors


def test_valid_comment_is_accepted_with_surrounding_spaces_trimmed(comment_data):
    form = CommentForm({**comment_data, "name": "  王小明 ", "message": "\n  写得很好！  \n"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "王小明"
    assert form.cleaned_data["message"] == "写得很好！"


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_asks_for_a_name(comment_data, name):
    assert errors_for({**comment_data, "name": name})["name"] == ["请填写姓名。"]


def test_name_of_51_characters_is_refused_with_the_limit_and_length(comment_data):
    errors = errors_for({**comment_data, "name": "张" * 51})

    assert errors["name"] == ["姓名不能超过 50 个字（现在是 51 个）。"]


def test_name_of_50_characters_is_accepted(comment_data):
    form = CommentForm({**comment_data, "name": "张" * 50})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "张" * 50


def test_missing_email_asks_for_an_email(comment_data):
    assert errors_for({**comment_data, "email": ""})["email"] == ["请填写邮箱。"]


@pytest.mark.parametrize("email", ["xiaoming", "xiaoming@", "@example.com", "王 @example.com"])
def test_malformed_email_is_refused(comment_data, email):
    assert errors_for({**comment_data, "email": email})["email"] == ["请输入有效的邮箱地址。"]


def test_empty_message_asks_for_a_message(comment_data):
    assert errors_for({**comment_data, "message": ""})["message"] == ["请填写留言内容。"]


def test_whitespace_only_message_counts_as_empty(comment_data):
    assert errors_for({**comment_data, "message": " \n\t　"})["message"] == ["请填写留言内容。"]


@pytest.mark.parametrize("message", ["好", "  好  "])
def test_one_character_message_is_too_short(comment_data, message):
    assert errors_for({**comment_data, "message": message})["message"] == ["留言至少需要 2 个字。"]


def test_message_of_2001_characters_is_refused_with_the_limit_and_length(comment_data):
    errors = errors_for({**comment_data, "message": "赞" * 2001})

    assert errors["message"] == ["留言不能超过 2000 个字（现在是 2001 个）。"]


@pytest.mark.parametrize("length", [2, 2000])
def test_message_at_either_length_limit_is_accepted(comment_data, length):
    form = CommentForm({**comment_data, "message": "赞" * length})

    assert form.is_valid(), form.errors


def test_each_invalid_field_gets_its_own_error_at_once():
    errors = errors_for({"name": "", "email": "nope", "message": "好", "website": ""})

    assert set(errors) == {"name", "email", "message"}


def test_filled_honeypot_is_refused_as_a_whole_form_error(comment_data):
    form = CommentForm({**comment_data, "website": "http://spam.example.com"})

    assert not form.is_valid()
    assert form.non_field_errors() == ["留言未能提交，请刷新页面后重试。"]
    assert form.non_field_errors().as_data()[0].code == "honeypot"
    # The reader's own fields were fine; only the trap is reported.
    assert set(form.errors) == {"__all__"}


def test_honeypot_is_labelled_for_people_to_leave_empty():
    assert str(CommentForm()["website"].label) == "网站（请留空）"


def test_line_breaks_count_as_one_character_like_in_the_browser(comment_data):
    typed = "\n".join(["赞" * 399] * 5) + "赞"  # 2000 characters in the textarea
    assert len(typed) == 2000
    submitted = typed.replace("\n", "\r\n")  # how browsers send line breaks

    form = CommentForm({**comment_data, "message": submitted})

    assert form.is_valid(), form.errors
