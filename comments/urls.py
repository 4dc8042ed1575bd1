from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("article/<int:pk>/comments/", views.comment_post, name="post"),
]
