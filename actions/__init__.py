"""Custom actions of the Jilin unemployment benefit assistant: thin translations between the tracker and offices_kb."""
